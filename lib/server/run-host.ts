import { distinctUntilChanged, EMPTY, filter, identity, map, merge, type Observable, scan, startWith, Subject, switchMap, timer } from 'rxjs';
import type { Agent, AnyAgent } from '../agent/agent.js';
import { encodeError, encodeEvent, type WireEvent } from '../events/event-codec.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunInput } from '../items/input-item.js';
import { coalesceDeltas } from '../operators/coalesce-deltas.js';
import { run } from '../run.js';
import type { CancelRequest } from '../run/cancel-request.js';
import type { RunOptions } from '../run/run-options.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';
import type { RunControl, RunRecord, RunRegistry } from './run-registry.js';

/** What the host needs to start one run. */
export interface HostedRun {
  readonly record: RunRecord;
  readonly agent: AnyAgent;
  readonly input: RunInput;
  /** Options of `run` (session, context, model provider…); the host adds the control streams. */
  readonly options: RunOptions;
  /** Which events go to the log (`run.updated` always does). Default: every one. */
  readonly sendEvent?: (event: StreamEvent<unknown>) => boolean;
  /** Whether deltas that come in one burst go to the log as one event (see `coalesceDeltas`). Default true. */
  readonly coalesceDeltas?: boolean;
}

/** The runs this process executes: each one's events go to the registry's log, its controls come from it. */
export interface RunHost {
  start(hosted: HostedRun): Promise<void>;
  /** Runs executing in this process now. */
  readonly active: number;
  /** Cancels every run with `reason` and resolves once each has ended. */
  close(reason: string): Promise<void>;
}

/**
 * Executes runs for `serveRuns`. A run with no client attached for `detachedGraceMs`
 * is cancelled (`Infinity`: it runs to its end); a network drop is only a detach.
 */
export function runHost(registry: RunRegistry, detachedGraceMs: number): RunHost {
  const closing$ = new Subject<CancelRequest>();
  const ended = new Set<Promise<void>>();
  let active = 0;

  return {
    get active() {
      return active;
    },

    async start({ record, agent, input, options, sendEvent = () => true, coalesceDeltas: coalesce = true }) {
      const cancels = new Subject<CancelRequest>();
      const injects = new Subject<RunInput>();
      const approvals = new Subject<ToolApprovalDecision>();
      const presence = new Subject<number>();
      let terminal = false;
      // A control is taken only while the run can still act on it; later, the sender hears it was too late.
      const receive = (control: RunControl): boolean => {
        if (terminal) return false;
        switch (control.type) {
          case 'cancel':
            cancels.next({ reason: control.reason ?? 'cancelled by the client', mode: control.mode ?? 'immediate' });
            return true;
          case 'inject':
            return take(injects, control.input);
          case 'approval':
            return take(approvals, control.decision);
          default:
            presence.next(control.type === 'attached' ? 1 : -1);
            return true;
        }
      };
      const owned = await registry.create(record, receive);
      const logFailed$ = new Subject<CancelRequest>();
      const cancel$ = merge(cancels, unattended(presence, detachedGraceMs), closing$, logFailed$);

      const logFailed = () => logFailed$.next('the event log failed');
      const append = (event: WireEvent) => {
        if (event.type === 'run.updated' && event['status'] !== 'running') terminal = true;
        try {
          owned.append(event)?.catch(logFailed);
        } catch {
          logFailed();
        }
      };
      active++;
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      ended.add(done);
      const end = () => {
        terminal = true;
        active--;
        ended.delete(done);
        void owned.end().catch(() => undefined).then(finish);
      };
      run(agent as Agent<unknown, unknown>, input, {
        ...options,
        cancel$,
        inject$: injects,
        approvals$: approvals,
      })
        .pipe(
          filter((event) => event.type === 'run.updated' || sendEvent(event)),
          coalesce ? coalesceDeltas() : identity,
        )
        .subscribe({
          next: (event) => append(encodeEvent(event)),
          error: (error: unknown) => {
            // A failed run has already logged its terminal event; anything else still needs one.
            if (!terminal) append({ type: 'run.updated', status: 'failed', error: encodeError(toError(error)) });
            end();
          },
          complete: end,
        });
    },

    async close(reason) {
      closing$.next(reason);
      await Promise.all([...ended]);
    },
  };
}

/** A cancel once no client has been attached for `graceMs`; a new attach stops the clock. */
function unattended(presence: Observable<number>, graceMs: number): Observable<CancelRequest> {
  if (!Number.isFinite(graceMs)) return EMPTY;
  return presence.pipe(
    scan((attached, change) => attached + change, 0),
    startWith(0),
    map((attached) => attached <= 0),
    distinctUntilChanged(),
    switchMap((alone) => (alone ? timer(graceMs).pipe(map(() => 'no client is attached')) : EMPTY)),
  );
}

/** Hands `value` to the run if it still listens to `subject`. */
function take<T>(subject: Subject<T>, value: T): boolean {
  if (!subject.observed) return false;
  subject.next(value);
  return true;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
