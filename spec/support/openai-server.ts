import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { chatSteps } from './chat-wire.js';
import { fixtureSteps } from './fixture-steps.js';
import { checkChatRequest, checkResponsesRequest, type RequestRejection } from './request-checks.js';
import { ResponsesStore } from './responses-store.js';
import { responsesSteps } from './responses-wire.js';
import type { ServerTurn } from './server-script.js';
import type { Json, WireStep } from './wire-step.js';

/** A request the server received. */
export interface RecordedRequest {
  /** 0-based, in arrival order. */
  readonly index: number;
  readonly method: string;
  readonly path: string;
  /** The vendor whose rules apply: the path's first segment before `/v1` (`/deepseek/v1/…`), `openai` when none. */
  readonly vendor: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body (the raw text when it is not JSON). */
  readonly body: Json;
  /** The HTTP status answered (0 until answered). */
  readonly status: number;
  /** Resolves with a `performance.now()` timestamp when the request's connection closed. */
  readonly closed: Promise<number>;
  /** The server wrote the whole response. */
  readonly endedByServer: boolean;
  /** The client closed the connection while the server was still responding. */
  readonly closedByClient: boolean;
}

/** A scripted response, or a function of the request that makes one. */
export type ServerStep = ServerTurn | ((request: RecordedRequest) => ServerTurn);

interface MutableRecord extends RecordedRequest {
  status: number;
  vendor: string;
  endedByServer: boolean;
  closedByClient: boolean;
}

/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI streaming wire formats:
 * Responses SSE at `POST /v1/responses`, chat completion chunks at
 * `POST /v1/chat/completions`. Each request takes the next scripted response
 * from the queue (see {@link ServerTurn}), after the checks the real API makes
 * (every tool call has its output; reasoning items where the API wants them;
 * each vendor's rules on what an assistant message may carry, see
 * `checkChatRequest`). Routes may name a vendor: `/<vendor>/v1/chat/completions`.
 * Responses are remembered as the real API does: `previous_response_id` continues
 * a stored response (see {@link ResponsesStore}). It records every request, and when each
 * request's connection closed, so tests can await the close instead of sleeping.
 */
export class OpenAIServer {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly queue: ServerStep[] = [];
  private readonly sockets = new Set<Socket>();
  /** Responses the server has not finished writing, to end them on reset. */
  private readonly inFlight = new Set<ServerResponse>();
  private readonly waiters: { index: number; resolve: (request: RecordedRequest) => void }[] = [];
  private responses = 0;
  private readonly store = new ResponsesStore();

  private constructor(
    private readonly http: Server,
    /** `http://127.0.0.1:<port>` */
    readonly url: string,
  ) {}

  /** Starts a server on a free port. */
  static async start(): Promise<OpenAIServer> {
    let instance: OpenAIServer | undefined;
    const http = createServer((req, res) => void instance!.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, '127.0.0.1', resolve);
    });
    const { port } = http.address() as AddressInfo;
    instance = new OpenAIServer(http, `http://127.0.0.1:${port}`);
    http.on('connection', (socket) => {
      instance!.sockets.add(socket);
      socket.once('close', () => instance!.sockets.delete(socket));
    });
    return instance;
  }

  /** Queues scripted responses, one per request. */
  enqueue(...steps: ServerStep[]): this {
    this.queue.push(...steps);
    return this;
  }

  /** Scripted responses not yet used. */
  get pending(): number {
    return this.queue.length;
  }

  /** Connections open right now (idle keep-alive ones included). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Resolves when the request with this index (0-based) has arrived. */
  request(index: number): Promise<RecordedRequest> {
    const request = this.requests[index];
    if (request) return Promise.resolve(request);
    return new Promise((resolve) => this.waiters.push({ index, resolve }));
  }

  /** Forgets requests and queued responses, and cuts off responses still streaming (hung ones). */
  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.waiters.length = 0;
    this.responses = 0;
    this.store.clear();
    for (const res of this.inFlight) res.socket?.destroy();
    this.inFlight.clear();
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const closed = socketClosed(req.socket);
    const text = await readBody(req);
    const record: MutableRecord = {
      index: this.requests.length,
      method: req.method ?? '',
      path: req.url ?? '',
      vendor: 'openai',
      headers: req.headers,
      body: parseJson(text),
      status: 0,
      closed,
      endedByServer: false,
      closedByClient: false,
    };
    this.requests.push(record);
    for (const waiter of this.waiters.filter((w) => w.index === record.index)) waiter.resolve(record);

    this.inFlight.add(res);
    let dropped = false;
    res.once('close', () => {
      this.inFlight.delete(res);
      if (!res.writableFinished && !dropped) record.closedByClient = true;
    });

    if (req.method === 'POST' && /^(?:\/[a-z0-9-]+)?\/v1\/conversations$/.test(record.path)) return this.answer(res, record, this.store.createConversation(record.body));
    const route = req.method === 'POST' ? /^(?:\/([a-z0-9-]+))?\/v1\/(responses|chat\/completions)$/.exec(record.path) : null;
    if (!route) return this.reject(res, record, { status: 404, message: `Unknown route ${record.method} ${record.path}.` });
    const api = route[2] === 'responses' ? 'responses' : 'chat';
    record.vendor = route[1] ?? 'openai';
    let input: Json[] = [];
    if (api === 'responses') {
      const expanded = this.store.expand(record.body);
      if ('status' in expanded) return this.reject(res, record, expanded);
      input = expanded.input;
    }
    const rejection =
      api === 'responses'
        ? (checkResponsesRequest(record.body, input) ?? this.store.check(record.body, input))
        : checkChatRequest(record.body, record.vendor);
    if (rejection) return this.reject(res, record, rejection);
    const step = this.queue.shift();
    if (!step) {
      return this.reject(res, record, { status: 500, message: `openai-server: no scripted response left for request ${record.index}.` }, false);
    }
    const turn = typeof step === 'function' ? step(record) : step;
    if (turn.fault?.kind === 'http') {
      const { status, message, code, retryAfterMs } = turn.fault;
      const retryable = status === 429 || status >= 500;
      return this.reject(res, record, { status, message: message ?? `Scripted HTTP ${status}.`, ...(code ? { code } : {}) }, retryable, retryAfterMs ?? 1);
    }

    const n = ++this.responses;
    const steps = turn.fixture ? fixtureSteps(turn) : api === 'responses' ? responsesSteps(turn, record.body, n) : chatSteps(turn, record.body, n);
    record.status = 200;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': `req_${record.index}`,
    });
    res.flushHeaders();
    const result = await play(res, steps, turn.delayMs ?? 0);
    if (api === 'responses') this.store.learn(record.body, input, steps, result === 'done');
    if (result === 'drop') {
      dropped = true;
      res.socket?.destroy();
    } else if (result === 'done') {
      res.end(() => (record.endedByServer = true));
    }
  }

  private answer(res: ServerResponse, record: MutableRecord, body: Json): void {
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${record.index}` });
    res.end(JSON.stringify(body), () => (record.endedByServer = true));
  }

  private reject(res: ServerResponse, record: MutableRecord, rejection: RequestRejection, retry = false, retryAfterMs?: number): void {
    record.status = rejection.status;
    res.writeHead(rejection.status, {
      'content-type': 'application/json',
      'x-request-id': `req_${record.index}`,
      'x-should-retry': String(retry),
      ...(retry && retryAfterMs !== undefined ? { 'retry-after-ms': String(retryAfterMs) } : {}),
    });
    const body = {
      error: { message: rejection.message, type: errorType(rejection.status), param: rejection.param ?? null, code: rejection.code ?? null },
    };
    res.end(JSON.stringify(body), () => (record.endedByServer = true));
  }
}

/** Writes the steps, waiting for each write to flush; stops early if the client goes away. */
async function play(res: ServerResponse, steps: readonly WireStep[], delayMs: number): Promise<'done' | 'drop' | 'hang' | 'gone'> {
  for (const step of steps) {
    if (res.destroyed) return 'gone';
    if (step.kind !== 'send') return step.kind;
    if (step.paced && delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (res.destroyed) return 'gone';
    }
    await new Promise<void>((resolve) => res.write(step.frame, () => resolve()));
  }
  return res.destroyed ? 'gone' : 'done';
}

const closings = new WeakMap<Socket, Promise<number>>();

/** When a socket closes (one promise per socket, shared by the requests it carries). */
function socketClosed(socket: Socket): Promise<number> {
  let closed = closings.get(socket);
  if (!closed) {
    closed = socket.destroyed
      ? Promise.resolve(performance.now())
      : new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
    closings.set(socket, closed);
  }
  return closed;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
