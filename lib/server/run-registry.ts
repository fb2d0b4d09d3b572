import type { Observable } from 'rxjs';
import type { WireEvent } from '../events/event-codec.js';
import type { RunStatus } from '../events/run-status.js';
import type { RunInput } from '../items/input-item.js';
import type { CancelMode } from '../run/cancel-request.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';

/** What every node knows of a run, wherever it executes. */
export interface RunRecord {
  /** Unguessable, chosen by the server. */
  readonly id: string;
  /** The identity `authorize` returned when the run started: only it may see or control the run. */
  readonly identity: string;
  /** The name of the agent that started it. */
  readonly agent: string;
}

/** An event of a run's log: its id (increasing within the run, usable as an SSE `id:`) and its JSON. */
export interface LoggedEvent {
  readonly id: string;
  readonly event: WireEvent;
}

/** A message for the process that executes a run. */
export type RunControl =
  | { readonly type: 'cancel'; readonly reason?: string; readonly mode?: CancelMode }
  | { readonly type: 'inject'; readonly input: RunInput }
  | { readonly type: 'approval'; readonly decision: ToolApprovalDecision }
  /** A client started reading the run's events. */
  | { readonly type: 'attached' }
  /** A client stopped reading them (it left, detached, or its connection dropped). */
  | { readonly type: 'detached' };

/**
 * Takes a control message sent to a run, in the process that executes it: true
 * when the run took it, false when it came too late (the run has ended).
 */
export type ControlReceiver = (control: RunControl) => boolean;

/** What became of a control message: the run took it, or it is over (with its terminal status when known). */
export type ControlOutcome =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly status?: Exclude<RunStatus, 'running'> };

/** The owner's side of a run: it appends the events; the controls reach the `receive` it registered. */
export interface OwnedRun {
  /**
   * Appends an event to the run's log. Called in event order without waiting for
   * the previous append, so the log must keep that order. A store that writes
   * asynchronously returns the write's promise; a rejection cancels the run.
   */
  append(event: WireEvent): void | Promise<unknown>;
  /** The run is over (its last event is appended): readers complete, controls stop, the log expires later. */
  end(): Promise<void>;
}

/**
 * Where runs live while clients read and control them: ownership (which identity
 * may touch a run), an ordered event log per run that readers can resume by event
 * id, and a control channel to the process that executes the run.
 *
 * `memoryRunRegistry()` keeps all of it in one process; a distributed
 * implementation (one log stream and one control channel per run, on a shared
 * store) lets any node serve any request for any run.
 */
export interface RunRegistry {
  /**
   * Records a new run executed by the calling process. Control messages sent to it
   * from any node reach `receive`, in order, until `end`. A registry that learns the
   * run is no longer this process's to run (its ownership lapsed) sends it a `cancel`.
   */
  create(record: RunRecord, receive: ControlReceiver): Promise<OwnedRun>;
  /** The run's record; undefined when the id is unknown or has expired. */
  find(id: string): Promise<RunRecord | undefined>;
  /**
   * The run's events after the one with id `after` (all of them without it), then
   * each new one as it is appended, completing after the last. Cold. Errors with a
   * `RangeError` when `after` is not an id of this run.
   */
  events(id: string, after?: string): Observable<LoggedEvent>;
  /**
   * Delivers a control message to the run's owner and says whether the run took it.
   * Not accepted: the run is unknown, over, or ended before the message reached it.
   */
  send(id: string, control: RunControl): Promise<ControlOutcome>;
}
