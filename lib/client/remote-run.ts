import {
  concatMap,
  concatWith,
  defer,
  EMPTY,
  from,
  map,
  merge,
  mergeMap,
  Observable,
  of,
  ReplaySubject,
  retry,
  Subject,
  take,
  throwError,
  timer,
} from 'rxjs';
import { decodeEvent, type WireEvent } from '../events/event-codec.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { TerminalRunStatus } from '../events/run-status.js';
import type { RunInput } from '../items/input-item.js';
import type { CancelRequest } from '../run/cancel-request.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';
import { eventStream, type EventStreamMessage, type FetchLike } from './event-stream.js';
import { RemoteRunError, responseError } from './remote-run-error.js';

/** How a remote run reconnects after its connection drops. */
export interface ReconnectOptions {
  /** Attempts in a row before the run errors (reset by every event received). Default 8. */
  readonly retries?: number;
  /** Delay before the first attempt, doubled for each next one. Default 250 ms. */
  readonly delayMs?: number;
  /** Longest delay between attempts. Default 5 s. */
  readonly maxDelayMs?: number;
}

/**
 * A control that reached the server after the run had ended (HTTP 409), so the
 * run did not use it: an injected input, an approval answer or a cancel, with the
 * status the run ended in.
 */
export type LateControl = (
  | { readonly kind: 'inject'; readonly input: RunInput }
  | { readonly kind: 'approval'; readonly decision: ToolApprovalDecision }
  | { readonly kind: 'cancel'; readonly request: CancelRequest }
) & { readonly status?: TerminalRunStatus };

/** Options shared by starting a remote run and attaching to one. */
export interface RemoteRunCommonOptions {
  /** Where the server's `serveRuns` handler is mounted, e.g. `/api/agents`. */
  readonly url: string;
  /** Sent with every request (authentication). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The `fetch` to use. Default: the global one. */
  readonly fetch?: FetchLike;
  /** Graceful cancel on the server: each value is a reason, or `{ reason, mode }`. The run still ends with its `cancelled` event. */
  readonly cancel$?: Observable<CancelRequest>;
  /** New user input for the running run (text or user messages). */
  readonly inject$?: Observable<RunInput>;
  /** Answers to `tool.approval_requested` events (the events' `approve()` / `reject()` work too). */
  readonly approvals$?: Observable<ToolApprovalDecision>;
  /**
   * Stop reading without cancelling: the Observable completes and the run goes on
   * on the server (for as long as its policy lets an unattended run go on);
   * attach again later with its id.
   */
  readonly detach$?: Observable<unknown>;
  /** Told the run's id as soon as the server names it (keep it to attach after a reload). */
  readonly onRunId?: (runId: string) => void;
  /**
   * Told of each control that arrived after the run ended and was not used (an
   * input injected as the run finished, say), so the app can offer it again.
   */
  readonly onLate?: (late: LateControl) => void;
  readonly reconnect?: ReconnectOptions;
}

/** Starts a run of the server's agent named `agent`. */
export interface StartRemoteRunOptions extends RemoteRunCommonOptions {
  readonly agent: string;
  readonly input: RunInput;
  /** Continue this conversation (its history is kept on the server). */
  readonly conversationId?: string;
}

/** Attaches to a run that already exists: its events from the start, or after `lastEventId`. */
export interface AttachRemoteRunOptions extends RemoteRunCommonOptions {
  readonly runId: string;
  readonly lastEventId?: string;
}

/** Options of {@link remoteRun}. */
export type RemoteRunOptions = StartRemoteRunOptions | AttachRemoteRunOptions;

/**
 * A run on a server (`serveRuns` from `rxjs-agents/server`) as the same cold
 * `Observable<StreamEvent>` a local run is. Subscribing starts it (or attaches to
 * it, given `runId`); its events arrive in order, each exactly once, across
 * dropped connections (it reconnects by itself, resuming after the last event
 * seen); approval events' `approve()` / `reject()` answer the server.
 * Unsubscribing cancels the run on the server; `detach$` leaves it running.
 *
 * @example
 * const stop$ = new Subject<string>();
 * remoteRun({ url: '/api/agents', agent: 'assistant', input: 'Hi!', cancel$: stop$ })
 *   .pipe(textDeltas())
 *   .subscribe((text) => (output.textContent += text));
 */
export function remoteRun<TOutput = string>(options: RemoteRunOptions): Observable<StreamEvent<TOutput>> {
  return new Observable<StreamEvent<TOutput>>((subscriber) => {
    const base = options.url.replace(/\/+$/, '');
    const fetchFn: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
    const headers = options.headers ?? {};
    const runUrl = (id: string, path: string) => `${base}/runs/${encodeURIComponent(id)}/${path}`;
    const post = (id: string, path: string, body: unknown, keepalive = false) =>
      fetchFn(runUrl(id, path), { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body), keepalive });

    // What the subscriber is owed at the end: nothing more once the run ended or was left on purpose.
    let over = false;
    let lastEventId = 'runId' in options ? options.lastEventId : undefined;
    let runId: string | undefined;
    let cancelWhenNamed = false;
    const named$ = new ReplaySubject<string>(1);
    const cancelOnServer = (id: string) =>
      void post(id, 'cancel', { reason: 'the client unsubscribed' }, true).catch(() => undefined);
    const name = (id: string | null | undefined) => {
      if (!id || runId !== undefined) return;
      runId = id;
      options.onRunId?.(id);
      named$.next(id);
      if (cancelWhenNamed) cancelOnServer(id);
    };

    // Control requests go out in the order they were made, once the run has an id.
    const answers = new Subject<ToolApprovalDecision>();
    const late = (body: LateControl) => options.onLate?.(body);
    const controls = merge(
      (options.cancel$ ?? EMPTY).pipe(map((request) => ['cancel', request] as const)),
      (options.inject$ ?? EMPTY).pipe(map((input) => ['inject', input] as const)),
      merge(options.approvals$ ?? EMPTY, answers).pipe(map((decision) => ['approvals', decision] as const)),
    ).pipe(
      concatMap(([path, value]) =>
        named$.pipe(
          take(1),
          concatMap((id) => from(post(id, path, wireBody(path, value)))),
          concatMap((response) => {
            if (response.ok) return EMPTY;
            if (response.status !== 409) return from(responseError(response));
            // 409: the run is already over; what was sent was not used.
            return from(endedStatus(response)).pipe(
              concatMap((status) => {
                const when = status ? { status } : {};
                if (path === 'inject') late({ kind: 'inject', input: value as RunInput, ...when });
                else if (path === 'approvals') late({ kind: 'approval', decision: value as ToolApprovalDecision, ...when });
                else late({ kind: 'cancel', request: value as CancelRequest, ...when });
                return EMPTY;
              }),
            );
          }),
          concatMap((error) => throwError(() => error)),
        ),
      ),
    );

    const decode = (message: EventStreamMessage): Observable<StreamEvent<TOutput>> => {
      if (message.type === 'open') {
        name(message.runId);
        return EMPTY;
      }
      if (message.event === 'run') {
        name((JSON.parse(message.data) as { id?: string }).id);
        return EMPTY;
      }
      if (message.event !== undefined && message.event !== 'message') return EMPTY;
      lastEventId = message.id ?? lastEventId;
      return of(decodeEvent<TOutput>(JSON.parse(message.data) as WireEvent, { answer: (d) => answers.next(d) }));
    };

    let started = false;
    const connect = (): Observable<EventStreamMessage> => {
      const accept = { ...headers, accept: 'text/event-stream' };
      if (runId === undefined && 'agent' in options) {
        if (started) return throwError(() => new RemoteRunError('The connection was lost before the server named the run.'));
        started = true;
        const { agent, input, conversationId } = options;
        return eventStream(
          fetchFn,
          `${base}/runs`,
          {
            method: 'POST',
            headers: { ...accept, 'content-type': 'application/json' },
            body: JSON.stringify({ agent, input, ...(conversationId !== undefined ? { conversationId } : {}) }),
          },
          (response) => name(response.headers.get('run-id')),
        );
      }
      const id = runId ?? (options as AttachRemoteRunOptions).runId;
      name(id);
      return eventStream(fetchFn, runUrl(id, 'events'), {
        headers: lastEventId !== undefined ? { ...accept, 'last-event-id': lastEventId } : accept,
      });
    };

    const { retries = 8, delayMs = 250, maxDelayMs = 5_000 } = options.reconnect ?? {};
    const events$ = defer(connect).pipe(
      mergeMap(decode),
      // A stream that ends before the run's terminal event was cut short: reconnect.
      concatWith(defer(() => (over ? EMPTY : throwError(() => new RemoteRunError('The event stream ended early.', { retryable: true }))))),
      retry({
        count: retries,
        resetOnSuccess: true,
        delay: (error: unknown, attempt) =>
          error instanceof RemoteRunError && error.retryable ? timer(Math.min(maxDelayMs, delayMs * 2 ** (attempt - 1))) : throwError(() => error),
      }),
    );

    // A failure is not a cancel: the run goes on on the server, under its unattended policy.
    const fail = (error: unknown) => {
      over = true;
      subscriber.error(error);
    };
    const subscription = controls.subscribe({ error: fail });
    if (options.detach$) {
      subscription.add(
        options.detach$.pipe(take(1)).subscribe(() => {
          over = true;
          subscriber.complete();
        }),
      );
    }
    const stream = events$.subscribe({
      next: (event) => {
        const terminal = event.type === 'run.updated' && event.status !== 'running';
        if (terminal) over = true;
        subscriber.next(event);
        if (!terminal) return;
        if (event.status === 'failed') subscriber.error(event.error ?? new RemoteRunError('The run failed.'));
        else subscriber.complete();
      },
      error: fail,
    });

    return () => {
      subscription.unsubscribe();
      // Unsubscribing is a cancel, as it is for a local run; a POST not yet answered cancels once it is.
      if (!over && runId !== undefined) {
        cancelOnServer(runId);
        // The stream closes a task later: closing it at once would put the abort's work ahead of
        // the cancel request's (about 2 ms of a 4 ms cancel), and the server should hear the cancel first.
        setTimeout(() => stream.unsubscribe(), 0);
        return;
      }
      if (!over) cancelWhenNamed = true;
      stream.unsubscribe();
    };
  });
}

/** The JSON body of a control request. */
function wireBody(path: 'cancel' | 'inject' | 'approvals', value: unknown): unknown {
  if (path === 'inject') return { input: value };
  if (path === 'cancel') return typeof value === 'string' ? { reason: value } : value;
  return value;
}

/** The terminal status a 409 answer names, if any. */
async function endedStatus(response: Response): Promise<TerminalRunStatus | undefined> {
  try {
    const body = (await response.json()) as { error?: { status?: unknown } };
    const status = body.error?.status;
    return status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'suspended' ? status : undefined;
  } catch {
    return undefined;
  }
}
