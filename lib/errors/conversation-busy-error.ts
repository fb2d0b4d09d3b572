import { AgentsError } from './agents-error.js';

/** A run with `onBusy: 'reject'` started while another run held its conversation. */
export class ConversationBusyError extends AgentsError {
  constructor(readonly conversationId: string | undefined) {
    super(`Conversation${conversationId ? ` "${conversationId}"` : ''} already has a run in flight (onBusy: 'reject').`);
  }
}
