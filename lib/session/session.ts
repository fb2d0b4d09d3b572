import type { ConversationLock } from '../conversation/conversation-lock.js';
import type { InputItem } from '../items/input-item.js';

/**
 * Conversation memory shared by consecutive runs.
 *
 * How a run uses it (the write path; see `SessionWriter`):
 * - **Read once** at start with `getItems`, after every write this process queued
 *   on the same session object has settled (so a run started after an unsubscribed
 *   one sees its history).
 * - **Written as things happen**, each item once, with `addItems`:
 *   1. the run's input, with any injected input, when it reaches the model (the
 *      write runs alongside the model call);
 *   2. a tool-call batch together with its outputs, once every call is answered
 *      (with the messages of that response before it);
 *   3. at the end, whatever is left: the final message (only once the output
 *      guardrails let it through: a blocked answer is never stored), cut-off calls
 *      paired with synthetic `cancelled` outputs, and injected input no model call
 *      took; again if input is injected while that write runs, until the terminal event.
 *   Every batch ends where every `function_call` has its output and no reasoning item
 *   waits for its follower, so the stored history is **valid model input at every
 *   instant**: a process killed at any point loses at most the turn in flight.
 * - Writes of one session object are **serialized** (one `addItems` at a time, in
 *   order, across runs of this process). Each is **bounded** by the run's
 *   `sessionTimeoutMs` (default 2000 ms); a cancel while the last write is pending ends
 *   the wait at once. A write that throws, rejects or times out fails the run with a
 *   typed `SessionError` on its terminal event, and the run writes nothing more (a
 *   batch is never stored after one that may be missing).
 * - After an **unsubscribe**, the rest (cut-off calls paired) is still written; a
 *   failure then goes to the run's `onError` option (default `console.error`).
 * - A run **re-subscribed after a failure** (`retry()`) whose input was stored does
 *   not store it again: it continues from the stored history.
 *
 * What an implementation must do: `addItems` appends atomically (all the items or
 * none) and settles; `getItems` returns what was appended, oldest first.
 */
export interface Session {
  /** Identifies the conversation (used as `gen_ai.conversation.id` in traces and in `SessionError` messages). */
  readonly id?: string | undefined;
  /** The stored history, oldest first. */
  getItems(): Promise<readonly InputItem[]>;
  /** Appends items; must be atomic: all of them or none. */
  addItems(items: readonly InputItem[]): Promise<void>;
  /** Forgets everything. */
  clear(): Promise<void>;
  /**
   * Lets one run at a time hold the conversation (see the run's `onBusy`). Without
   * one, runs on this session object take turns within this process.
   */
  readonly lock?: ConversationLock;
}
