import { EMPTY, Observable, type OperatorFunction } from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunInput } from '../items/input-item.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';
import { decideApproval, failTranscript, nextTranscript, startTranscript } from '../transcript/next-transcript.js';
import type { Transcript, TranscriptMessage } from '../transcript/transcript.js';

/** Options of {@link toTranscript}. */
export interface TranscriptOptions {
  /** The run's input, shown as the user's message (runs do not emit their input). */
  readonly input?: RunInput;
  /** The conversation so far (an earlier transcript's `messages`), shown before this run's. */
  readonly messages?: readonly TranscriptMessage[];
  /** The approval decisions given to the run: a decided call leaves `pendingApprovals` at once. */
  readonly approvals$?: Observable<ToolApprovalDecision>;
}

/**
 * Folds a run's events (local or remote) into a {@link Transcript}: a fresh immutable
 * view model at subscribe and after every event that changes it. A failed run
 * ends as a transcript with `status: 'failed'` and its `error`, and the Observable
 * completes: the error is state, not an Observable error. Framework-free: use it
 * with Angular signals, React state or a plain `subscribe`.
 *
 * @example
 * // Angular (zoneless): a signal that always holds the run's current view
 * readonly chat = toSignal(run(agent, 'Hi').pipe(toTranscript({ input: 'Hi' })), { requireSync: true });
 * // template: @for (m of chat().messages; track m.id) { … }  status: {{ chat().status }}
 */
export function toTranscript<T>(options: TranscriptOptions = {}): OperatorFunction<StreamEvent<T>, Transcript<T>> {
  return (events$) =>
    new Observable<Transcript<T>>((subscriber) => {
      let t = startTranscript<T>(options.input, options.messages);
      const set = (next: Transcript<T>) => {
        if (next !== t) subscriber.next((t = next));
      };
      subscriber.next(t);
      const decisions = (options.approvals$ ?? EMPTY).subscribe((decision) => set(decideApproval(t, decision)));
      const events = events$.subscribe({
        next: (event) => set(nextTranscript(t, event)),
        error: (error: unknown) => {
          set(failTranscript(t, error));
          subscriber.complete();
        },
        complete: () => subscriber.complete(),
      });
      return () => {
        events.unsubscribe();
        decisions.unsubscribe();
      };
    });
}
