import { Observable } from 'rxjs';
import type { AnyAgent } from '../agent/agent.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunOptions } from '../run/run-options.js';
import type { Session } from '../session/session.js';
import { HttpError } from './http-error.js';
import { MemoryRunRegistry } from './memory-run-registry.js';
import { readJsonBody } from './read-json-body.js';
import { approvalBody, cancelBody, injectBody, startRunBody } from './request-schemas.js';
import { runHost } from './run-host.js';
import type { LoggedEvent, RunControl, RunRegistry } from './run-registry.js';
import { sseResponse } from './sse-response.js';

/** Options of `run` a server may set; the control streams come from clients. */
export type ServerRunOptions = Omit<RunOptions, 'cancel$' | 'signal' | 'inject$' | 'approvals$' | 'session'>;

/** Who asks for a new run, for per-caller run options. */
export interface RunRequestInfo {
  readonly identity: string;
  readonly agent: string;
  readonly conversationId?: string;
}

/** Options of {@link serveRuns}. */
export interface ServeRunsOptions {
  /** The only agents a client may run, by the name it asks for. */
  readonly agents: Readonly<Record<string, AnyAgent>>;
  /**
   * Who the caller is: an identity, or `undefined` to refuse with 401. A run belongs
   * to the identity that started it; any other gets 404 for it. Default: every caller is `anonymous`.
   */
  readonly authorize?: (request: Request) => string | undefined | Promise<string | undefined>;
  /** The session of a conversation, when a client names one. Without it, a `conversationId` is refused. */
  readonly session?: (conversationId: string, identity: string) => Session | Promise<Session>;
  /** Options of each `run` (model provider, context, maxTurns, tracer…), or a function of the caller. */
  readonly runOptions?: ServerRunOptions | ((request: RunRequestInfo) => ServerRunOptions | Promise<ServerRunOptions>);
  /** Where runs, their event logs and their controls live. Default: a new `MemoryRunRegistry`. */
  readonly registry?: RunRegistry;
  /**
   * How long a run goes on with no client reading its events (they dropped, reloaded,
   * or detached) before it is cancelled with reason `no client is attached`.
   * `Infinity` lets runs finish unattended. Default 30 seconds.
   */
  readonly detachedGraceMs?: number;
  /** Largest request body accepted, in bytes (413 above). Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Interval of the comment lines that keep idle event streams open through proxies. Default 15 s; 0 for none. */
  readonly heartbeatMs?: number;
  /** Told of unexpected failures (answered with a bare 500). Default: `console.error`. */
  readonly onError?: (error: unknown) => void;
  /**
   * Which of a run's events cross the wire (and are kept in the registry's log).
   * Default {@link withoutRawModelEvents}: all but `model.event`, the provider's raw
   * chunks, which are about half of a streaming run's events and most of its bytes,
   * and which nothing of `remoteRun`, `toTranscript` or the Angular chat reads.
   * `() => true` sends every event. `run.updated` events always cross: a client needs
   * them to learn how the run ended. A `sendEvent` that throws fails the run, with its message.
   */
  readonly sendEvent?: (event: StreamEvent<unknown>) => boolean;
  /**
   * Whether the text and reasoning deltas of one burst (what one read of the model's
   * stream delivers) cross as one event, as the `coalesceDeltas` operator joins them.
   * A slow stream's deltas come one per read and cross as they are; a fast model's, or
   * those of a server behind on its reads, come by the hundred and would otherwise cost
   * a frame each on the server, in the registry's log and in the browser. The text and
   * the order of events are the same either way. Deltas are joined after `sendEvent`
   * has chosen: with the raw `model.event` chunks sent too (`sendEvent: () => true`),
   * a chunk comes between every two deltas and each delta crosses on its own.
   * `false` sends each delta as the model gave it (to time tokens, say). Default `true`.
   */
  readonly coalesceDeltas?: boolean;
}

/**
 * The default of `serveRuns`' `sendEvent`: every event but the provider's raw `model.event`s.
 *
 * @example
 * // Also send the raw events of web searches, to show their progress:
 * serveRuns({ agents, sendEvent: (e) => withoutRawModelEvents(e) || isWebSearchEvent(e) });
 */
export function withoutRawModelEvents(event: StreamEvent<unknown>): boolean {
  return event.type !== 'model.event';
}

/** A web-standard request handler for remote runs, with what a server needs to shut down. */
export interface RunsHandler {
  (request: Request): Promise<Response>;
  /** Runs executing in this process now. */
  readonly activeRuns: number;
  /** Cancels every run this process executes (reason `the server is shutting down`) and waits for their ends. */
  close(): Promise<void>;
}

const routePattern = /(?:^|\/)runs(?:\/([A-Za-z0-9_-]{1,200})\/(events|cancel|inject|approvals))?\/?$/;

/**
 * Serves runs to remote clients (`remoteRun` from `rxjs-agents/client`) as a
 * web-standard handler, wherever it is mounted (routes match the path's end):
 *
 * - `POST runs` `{ agent, input, conversationId? }` starts a run and answers with its events (`text/event-stream`; the id in `Run-Id`);
 * - `GET runs/{id}/events` its events again, after `Last-Event-ID` if given;
 * - `POST runs/{id}/cancel` `{ reason?, mode? }`, `POST runs/{id}/inject` `{ input }`,
 *   `POST runs/{id}/approvals` `{ callId, approved, message? }`.
 *
 * Errors are `{ error: { code, message } }` with a 4xx status.
 *
 * @example
 * import { getRequestListener } from '@hono/node-server';
 * const handler = serveRuns({ agents: { assistant }, authorize: (req) => userOf(req) });
 * http.createServer(getRequestListener(handler)).listen(3000);
 */
export function serveRuns(options: ServeRunsOptions): RunsHandler {
  const registry = options.registry ?? new MemoryRunRegistry();
  const host = runHost(registry, options.detachedGraceMs ?? 30_000);
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const sendEvent = options.sendEvent ?? withoutRawModelEvents;
  const onError = options.onError ?? ((error: unknown) => console.error('rxjs-agents serveRuns:', error));

  const identify = async (request: Request): Promise<string> => {
    if (!options.authorize) return 'anonymous';
    const identity = await options.authorize(request);
    if (!identity) throw new HttpError(401, 'unauthorized', 'The request is not authorized.');
    return identity;
  };

  /** The run's events for one reader, who counts as attached while reading. */
  const stream = (id: string, after?: string, headers?: Record<string, string>): Response => {
    const send = (control: RunControl) => void registry.send(id, control).catch(() => undefined);
    // The log's events reach the response's subscriber directly (no operator between them: every event would pass it).
    const events$ = new Observable<LoggedEvent>((subscriber) => {
      send({ type: 'attached' });
      try {
        registry.events(id, after).subscribe(subscriber);
      } finally {
        // Also when a registry throws instead of answering an Observable that errors.
        subscriber.add(() => send({ type: 'detached' }));
      }
    });
    return sseResponse(id, events$, heartbeatMs, headers);
  };

  const start = async (request: Request, identity: string): Promise<Response> => {
    const body = await readJsonBody(request, startRunBody, limit);
    const agent = Object.hasOwn(options.agents, body.agent) ? options.agents[body.agent] : undefined;
    if (!agent) throw new HttpError(404, 'not_found', `There is no agent named ${JSON.stringify(body.agent)}.`);
    const { conversationId } = body;
    if (conversationId !== undefined && !options.session) {
      throw new HttpError(400, 'bad_request', 'conversationId: this server keeps no conversations.');
    }
    const info: RunRequestInfo = { identity, agent: body.agent, ...(conversationId !== undefined ? { conversationId } : {}) };
    const runOptions = typeof options.runOptions === 'function' ? await options.runOptions(info) : options.runOptions ?? {};
    const session = conversationId !== undefined ? await options.session!(conversationId, identity) : undefined;
    const id = crypto.randomUUID();
    await host.start({
      record: { id, identity, agent: body.agent },
      agent,
      input: body.input,
      options: session ? { ...runOptions, session } : runOptions,
      sendEvent,
      coalesceDeltas: options.coalesceDeltas,
    });
    return stream(id);
  };

  const control = async (id: string, message: RunControl): Promise<Response> => {
    const outcome = await registry.send(id, message);
    if (outcome.accepted) return Response.json({ accepted: true }, { status: 202 });
    // Too late: say how the run ended, so the client knows its input or answer was not used.
    const { status } = outcome;
    throw new HttpError(409, 'run_ended', status ? `The run is over (${status}).` : 'The run is over.', {}, status ? { status } : {});
  };

  const route = async (request: Request): Promise<Response> => {
    const match = routePattern.exec(new URL(request.url).pathname);
    if (!match) throw new HttpError(404, 'not_found', 'No such route.');
    const [, id, action] = match;
    const method = action === 'events' ? 'GET' : 'POST';
    if (request.method !== method) throw new HttpError(405, 'method_not_allowed', `Use ${method}.`, { allow: method });
    const identity = await identify(request);
    if (!id) return start(request, identity);

    const record = await registry.find(id);
    // Another caller's run is indistinguishable from no run at all.
    if (!record || record.identity !== identity) throw new HttpError(404, 'not_found', 'No run with this id.');
    switch (action) {
      case 'events': {
        const after = request.headers.get('last-event-id') ?? undefined;
        if (after !== undefined && after.length > 200) throw new HttpError(400, 'bad_request', 'Last-Event-ID is too long.');
        return stream(id, after);
      }
      case 'cancel': {
        const { reason, mode } = await readJsonBody(request, cancelBody, limit);
        return control(id, { type: 'cancel', ...(reason !== undefined ? { reason } : {}), ...(mode ? { mode } : {}) });
      }
      case 'inject':
        return control(id, { type: 'inject', input: (await readJsonBody(request, injectBody, limit)).input });
      default: {
        const { callId, approved, message } = await readJsonBody(request, approvalBody, limit);
        return control(id, { type: 'approval', decision: { callId, approved, ...(message !== undefined ? { message } : {}) } });
      }
    }
  };

  const handler = async (request: Request): Promise<Response> => {
    try {
      return await route(request);
    } catch (error) {
      if (error instanceof HttpError) return error.toResponse();
      onError(error);
      return new HttpError(500, 'internal_error', 'The server could not handle the request.').toResponse();
    }
  };
  return Object.defineProperties(handler, {
    activeRuns: { get: () => host.active },
    close: { value: () => host.close('the server is shutting down') },
  }) as RunsHandler;
}
