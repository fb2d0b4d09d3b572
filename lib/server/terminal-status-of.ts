import type { WireEvent } from '../events/event-codec.js';
import type { TerminalRunStatus } from '../events/run-status.js';

/** The status a run ended in, when `event` is its terminal event. */
export function terminalStatusOf(event: WireEvent): TerminalRunStatus | undefined {
  return event.type === 'run.updated' && event['status'] !== 'running' ? (event['status'] as TerminalRunStatus) : undefined;
}
