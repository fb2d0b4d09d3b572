import type { RunInput } from '../items/input-item.js';

/**
 * Requests to a run in flight that come from outside its options: the other runs of
 * its conversation asking it to take their input (`steer`) or to stop (`interrupt`).
 * Told directly rather than through `inject$` and `cancel$` Observables: every
 * session run has them, and the layers would count in each run's time.
 */
export interface RunRequests {
  /** Hands the requests to `handler` until the returned function is called (at the run's terminal event). */
  connect(handler: RunRequestHandler): () => void;
}

/** What the run does with a {@link RunRequests} request. */
export interface RunRequestHandler {
  /** Input for the run, as a value of `inject$`. */
  inject(input: RunInput): void;
  /** An immediate graceful cancel, as a value of `cancel$`. */
  cancel(reason: string): void;
  /** The requests failed (a lock lost its store): the run fails, as when a control stream errors. */
  fail(error: unknown): void;
}
