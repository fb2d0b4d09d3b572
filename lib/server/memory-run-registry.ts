import { defer, Observable, type Subscriber, throwError } from 'rxjs';
import type { TerminalRunStatus } from '../events/run-status.js';
import { terminalStatusOf } from './terminal-status-of.js';
import type { WireEvent } from '../events/event-codec.js';
import type { ControlOutcome, ControlReceiver, LoggedEvent, OwnedRun, RunControl, RunRecord, RunRegistry } from './run-registry.js';

/** Options of {@link MemoryRunRegistry}. */
export interface MemoryRunRegistryOptions {
  /** How long a finished run's events stay readable (a late reconnect replays them). Default 5 minutes. */
  readonly retainMs?: number;
}

interface Entry {
  readonly record: RunRecord;
  readonly log: WireEvent[];
  /**
   * The readers following live events: a list replaced, never changed, when one comes
   * or goes (what a Subject does, without its allocations on every event).
   */
  readers: readonly Subscriber<LoggedEvent>[];
  readonly receive: ControlReceiver;
  status?: TerminalRunStatus;
  ended: boolean;
}

/**
 * The default {@link RunRegistry}: every run, its log and its controls in this
 * process's memory. Event ids are 1, 2, 3…; a finished run is forgotten `retainMs`
 * later (swept when runs are created or looked up: no timer keeps the process alive).
 *
 * @example
 * const handler = serveRuns({ agents: { assistant }, registry: new MemoryRunRegistry({ retainMs: 60_000 }) });
 */
export class MemoryRunRegistry implements RunRegistry {
  private readonly runs = new Map<string, Entry>();
  /** Finished runs in the order they ended, which is the order they expire in. */
  private readonly finished: { readonly id: string; readonly expiresAt: number }[] = [];
  private readonly retainMs: number;

  constructor(options: MemoryRunRegistryOptions = {}) {
    this.retainMs = options.retainMs ?? 5 * 60_000;
  }

  /** Runs held: running ones and finished ones not yet forgotten. */
  get size(): number {
    this.sweep();
    return this.runs.size;
  }

  async create(record: RunRecord, receive: ControlReceiver): Promise<OwnedRun> {
    this.sweep();
    if (this.runs.has(record.id)) throw new RangeError(`A run with id ${record.id} already exists.`);
    const entry: Entry = { record, log: [], readers: [], receive, ended: false };
    this.runs.set(record.id, entry);
    return {
      append: (event) => {
        if (entry.ended) throw new RangeError(`Run ${record.id} is over: nothing more can be appended.`);
        entry.status ??= terminalStatusOf(event);
        entry.log.push(event);
        const readers = entry.readers;
        if (readers.length === 0) return;
        const logged = { id: String(entry.log.length), event };
        for (let i = 0; i < readers.length; i++) readers[i]!.next(logged);
      },
      end: async () => {
        if (entry.ended) return;
        entry.ended = true;
        const readers = entry.readers;
        entry.readers = [];
        for (const reader of readers) reader.complete();
        this.finished.push({ id: record.id, expiresAt: performance.now() + this.retainMs });
      },
    };
  }

  async find(id: string): Promise<RunRecord | undefined> {
    this.sweep();
    return this.runs.get(id)?.record;
  }

  events(id: string, after?: string): Observable<LoggedEvent> {
    return defer(() => {
      const entry = this.runs.get(id);
      if (!entry) return throwError(() => new RangeError(`Unknown run ${id}.`));
      const start = after === undefined ? 0 : Number(after);
      if (!Number.isSafeInteger(start) || start < 0 || start > entry.log.length || (after !== undefined && after !== String(start))) {
        return throwError(() => new RangeError(`"${after}" is not an event id of run ${id}.`));
      }
      // Replay and live subscription happen in one synchronous step: no append can fall between them.
      // By hand rather than `concat`: every live event would pass through its inner subscriber.
      return new Observable<LoggedEvent>((subscriber) => {
        const log = entry.log;
        for (let i = start; i < log.length && !subscriber.closed; i++) subscriber.next({ id: String(i + 1), event: log[i]! });
        if (entry.ended) {
          subscriber.complete();
          return undefined;
        }
        entry.readers = [...entry.readers, subscriber];
        return () => {
          entry.readers = entry.readers.filter((reader) => reader !== subscriber);
        };
      });
    });
  }

  async send(id: string, control: RunControl): Promise<ControlOutcome> {
    const entry = this.runs.get(id);
    if (entry && !entry.ended && entry.receive(control)) return { accepted: true };
    return entry?.status ? { accepted: false, status: entry.status } : { accepted: false };
  }

  /** Forgets every finished run whose retention is over. */
  private sweep(): void {
    const now = performance.now();
    let expired = 0;
    while (expired < this.finished.length && this.finished[expired]!.expiresAt <= now) this.runs.delete(this.finished[expired++]!.id);
    if (expired > 0) this.finished.splice(0, expired);
  }
}
