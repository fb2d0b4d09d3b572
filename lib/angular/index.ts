/**
 * rxjs-agents for Angular: a chat with an agent as signals ({@link injectAgentChat}).
 * Depends on `@angular/core` only.
 * @packageDocumentation
 */
export {
  injectAgentChat,
  type AgentChat,
  type AgentChatOptions,
  type ChatRun,
  type ChatRunControls,
  type ChatStatus,
  type SendPolicy,
} from './agent-chat.js';
