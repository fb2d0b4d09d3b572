import type { ConversationLock } from '../conversation/conversation-lock.js';
import type { InputItem } from '../items/input-item.js';

/**
 * Conversation memory shared by consecutive runs. A run reads it once at start
 * and appends its input and every completed item once at the end, whatever the
 * end (completed, failed, cancelled, even unsubscribed), with every tool call
 * paired with an output, so the stored history is always valid model input.
 */
export interface Session {
  /** Identifies the conversation (used as `gen_ai.conversation.id` in traces). */
  readonly id?: string;
  /** The stored history, oldest first. */
  getItems(): Promise<readonly InputItem[]>;
  /** Appends items; should be atomic: all of them or none. */
  addItems(items: readonly InputItem[]): Promise<void>;
  /** Forgets everything. */
  clear(): Promise<void>;
  /**
   * Lets one run at a time hold the conversation (see the run's `onBusy`). Without
   * one, runs on this session object take turns within this process.
   */
  readonly lock?: ConversationLock;
}
