import type { Observable } from 'rxjs';
import type { WireEvent } from '../events/event-codec.js';
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

/** The owner's side of a run: it appends the events and receives the controls. */
export interface OwnedRun {
  /**
   * Appends an event to the run's log. Called in event order without waiting for
   * the previous append, so the log must keep that order. A store that writes
   * asynchronously returns the write's promise; a rejection cancels the run.
   */
  append(event: WireEvent): void | Promise<unknown>;
  /** Control messages sent to this run from any node, until `end`. May be subscribed several times. */
  readonly controls: Observable<RunControl>;
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
  /** Records a new run executed by the calling process. */
  create(record: RunRecord): Promise<OwnedRun>;
  /** The run's record; undefined when the id is unknown or has expired. */
  find(id: string): Promise<RunRecord | undefined>;
  /**
   * The run's events after the one with id `after` (all of them without it), then
   * each new one as it is appended, completing after the last. Cold. Errors with a
   * `RangeError` when `after` is not an id of this run.
   */
  events(id: string, after?: string): Observable<LoggedEvent>;
  /** Delivers a control message to the run's owner; false when the run is unknown or over. */
  send(id: string, control: RunControl): Promise<boolean>;
}
