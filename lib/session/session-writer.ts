import { EMPTY, Observable, type SchedulerLike } from 'rxjs';
import { describe, SessionError } from '../errors/agents-error.js';
import { type BoundedCallFailure, boundedCall } from '../util/bounded-call.js';
import type { InputItem } from '../items/input-item.js';
import { appendedNow } from './append-history.js';
import type { Session } from './session.js';

// Every write to one session object, from every run in this process, in order: a
// run's writes never overtake each other, and a run reading the session waits for
// the writes before it (so a run started after an unsubscribed one sees its history).
const tails = new WeakMap<Session, Promise<void>>();

/** Resolves once every write queued on `session` so far has settled (successfully or not). */
export function writesSettled(session: Session): Promise<void> {
  return tails.get(session) ?? Promise.resolve();
}

/** Options of a {@link SessionWriter}. */
export interface SessionWriterOptions {
  /** Longest wait for one `addItems`; a write that takes longer fails (and the writer stops). */
  readonly timeoutMs: number;
  readonly scheduler: SchedulerLike;
}

/**
 * Writes one run's history to its session as it happens. The run hands it its
 * history so far (`write(history)`); the writer appends the part not yet queued,
 * up to the last point where every `function_call` has its output and no
 * reasoning item waits for the item that follows it, so what is stored is valid
 * model input at every instant. Writes are queued at once (they finish even if the
 * run is torn down) and run one after another; the Observable `write` returns only
 * waits for one, so the run can stop waiting without stopping the write.
 *
 * A session that stores items at once (`MemorySession`) takes a batch then and
 * there when nothing is queued before it: nothing to wait for.
 *
 * Each item is offered to `addItems` once. After a failed or timed-out write the
 * writer stops: later writes fail with the same {@link SessionError}, so a batch
 * is never stored after one that may be missing.
 */
export class SessionWriter {
  /** End of the history already queued for writing. */
  private queued = 0;
  private failure: SessionError | undefined;
  private pending = 0;
  /** How many items this writer has stored. */
  storedCount = 0;

  constructor(
    private readonly session: Session,
    private readonly options: SessionWriterOptions,
  ) {}

  /** Whether a write is queued or running. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Queues the valid, unqueued part of `history`; the Observable completes when it is stored. */
  write(history: readonly InputItem[], all = false): Observable<never> {
    const end = all ? history.length : validEnd(history, this.queued);
    const batch = history.slice(this.queued, end);
    this.queued = Math.max(this.queued, end);
    if (batch.length > 0) {
      if (this.storedNow(batch)) return EMPTY;
      const done = this.enqueue(batch);
      return settled(() => done);
    }
    // Nothing to write and nothing pending on the session: nothing to wait for (most turns of a session run).
    if (!this.failure && !tails.has(this.session)) return EMPTY;
    return settled(() => this.tail());
  }

  /** Queues the rest of `history` without waiting; a failure goes to `report`. */
  writeInBackground(history: readonly InputItem[], report: (error: SessionError) => void): void {
    const batch = history.slice(this.queued);
    this.queued = history.length;
    if (batch.length > 0 && !this.storedNow(batch)) this.enqueue(batch).catch(report);
  }

  /** Stores `batch` at once in a session that can (see `appendHistory`), when nothing is queued before it and no write failed. */
  private storedNow(batch: readonly InputItem[]): boolean {
    if (this.failure || tails.has(this.session) || !appendedNow(this.session, batch)) return false;
    this.storedCount += batch.length;
    return true;
  }

  /** Settles when every write before now has; fails if one of this writer's failed. */
  private tail(): Promise<void> {
    return writesSettled(this.session).then(() => {
      if (this.failure) throw this.failure;
    });
  }

  private enqueue(batch: readonly InputItem[]): Promise<void> {
    const { session } = this;
    this.pending++;
    // Nothing queued before: write now (a synchronous store has the items at once).
    const previous = tails.get(session);
    const done = previous ? previous.then(() => this.store(batch)) : this.store(batch);
    // The tail handles this write's failure (whoever waits for the write sees it; nobody waiting is not an unhandled rejection).
    const idle = () => void (tails.get(session) === tail && tails.delete(session));
    const tail = done.then(idle, idle);
    tails.set(session, tail);
    return done;
  }

  private store(batch: readonly InputItem[]): Promise<void> {
    if (this.failure) {
      this.pending--;
      return Promise.reject(this.failure);
    }
    const { session, options } = this;
    return boundedCall(() => session.addItems(batch), options.timeoutMs, options.scheduler).then(
      () => {
        this.pending--;
        // A write that timed out and finished later stopped the writer meanwhile.
        if (this.failure) throw this.failure;
        this.storedCount += batch.length;
      },
      (failure: BoundedCallFailure) => {
        this.pending--;
        this.failure ??= sessionError('addItems', session, failure, options.timeoutMs);
        throw this.failure;
      },
    );
  }
}

/** A failed session call as a {@link SessionError} that says how it failed. */
export function sessionError(
  operation: 'getItems' | 'addItems',
  session: Session,
  failure: BoundedCallFailure,
  timeoutMs: number,
): SessionError {
  const how =
    failure.kind === 'timeout' ? `did not settle within ${timeoutMs} ms` : `${failure.kind}: ${describe(failure.cause)}`;
  return new SessionError(operation, session.id, how, { cause: failure.cause });
}

/**
 * The end of the longest stretch of `history` after `from` that is valid on its
 * own: every call in it answered, and not ending on a reasoning item (the API
 * wants a reasoning item sent back with the item that followed it).
 */
export function validEnd(history: readonly InputItem[], from: number): number {
  let end = from;
  // Made at the first call: most writes hold none.
  let open: Set<string> | undefined;
  for (let i = from; i < history.length; i++) {
    const item = history[i]!;
    if (item.type === 'function_call') (open ??= new Set()).add(item.call_id);
    else if (item.type === 'function_call_output') open?.delete(item.call_id);
    if (!open?.size && item.type !== 'reasoning') end = i + 1;
  }
  return end;
}


/** A Promise (made on subscribe) as an Observable that only completes or errors. */
function settled(promise: () => Promise<void>): Observable<never> {
  return new Observable<never>((subscriber) => {
    promise().then(
      () => subscriber.complete(),
      (error: unknown) => subscriber.error(error),
    );
  });
}
