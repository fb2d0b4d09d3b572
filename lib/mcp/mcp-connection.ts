import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import { catchError, Observable, shareReplay, startWith, Subject, switchMap, throwError } from 'rxjs';
import { callWithSignal } from '../util/call-with-signal.js';
import { McpConnectionError } from './mcp-errors.js';
import type { McpServerOptions } from './mcp-server-options.js';

/** One live session with an MCP server. */
export interface McpConnection {
  /** The server's name, as given to `mcpServer`. */
  readonly server: string;
  /** The official SDK client of this session. */
  readonly client: Client;
  /** The server's tools: read once, read again on `notifications/tools/list_changed`. */
  readonly tools$: Observable<readonly McpToolInfo[]>;
  /** OpenTelemetry attributes of this session (`mcp.session.id`, `network.transport`, …). */
  attributes(): Record<string, string | number>;
}

/** A transport exposes its protocol version and pid in ways the SDK's interface does not name. */
type AnyTransport = Transport & { readonly protocolVersion?: string; readonly pid?: number };

/**
 * Connects on subscribe and emits the connection once initialized; unsubscribing
 * closes it (an HTTP session is also terminated on the server, not waited for).
 * A failure to connect errors with {@link McpConnectionError}. If the server goes
 * away, this completes: calls in flight fail, later calls fail fast as tool-call errors.
 */
export function connectMcp(options: McpServerOptions): Observable<McpConnection> {
  return new Observable<McpConnection>((subscriber) => {
    const transport: AnyTransport = options.transport
      ? options.transport()
      : new StreamableHTTPClientTransport(new URL(options.url!), { requestInit: options.requestInit });
    const sending = trackSends(transport);
    const changed$ = new Subject<void>();
    const client = new Client(
      { name: 'rxjs-agents', version: '0.1.0' },
      { capabilities: {}, listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => changed$.next() } } },
    );
    let connected = false;
    let closing = false;
    // The SDK reports a broken stream only as an error (an HTTP call whose response
    // stream ended can stay pending forever): check the server, and if it does not
    // answer, close, which fails the calls in flight instead of leaving them hanging.
    let checking = false;
    client.onerror = () => {
      if (!connected || closing || checking) return;
      checking = true;
      client.ping({ timeout: options.connectTimeoutMs ?? 30_000 }).then(
        () => (checking = false),
        () => void client.close().catch(() => undefined),
      );
    };
    client.onclose = () => {
      changed$.complete();
      if (connected && !closing) subscriber.complete();
    };
    const tools$ = changed$.pipe(
      startWith(undefined),
      switchMap(() =>
        client.getServerCapabilities()?.tools ? callWithSignal((signal) => listTools(client, signal()), () => 'the tool list changed again') : [[]],
      ),
      catchError((error: unknown) => throwError(() => connectionError(options.name, 'could not list its tools', error))),
      shareReplay(1),
    );
    const url = options.url === undefined ? undefined : new URL(options.url);
    const connection: McpConnection = {
      server: options.name,
      client,
      tools$,
      attributes: () => ({
        ...(transport.sessionId !== undefined ? { 'mcp.session.id': transport.sessionId } : {}),
        ...(transport.protocolVersion !== undefined ? { 'mcp.protocol.version': transport.protocolVersion } : {}),
        ...(url
          ? { 'network.transport': 'tcp', 'network.protocol.name': 'http', 'server.address': url.hostname, ...(url.port ? { 'server.port': Number(url.port) } : {}) }
          : transport.pid !== undefined
            ? { 'network.transport': 'pipe' }
            : {}),
      }),
    };
    client.connect(transport, { timeout: options.connectTimeoutMs ?? 30_000 }).then(
      () => {
        connected = true;
        subscriber.next(connection);
      },
      (error: unknown) => subscriber.error(connectionError(options.name, 'could not connect', error)),
    );
    return () => {
      closing = true;
      changed$.complete();
      // Messages already on their way (the `notifications/cancelled` of calls torn down
      // just before) go out first; then the session ends. Nobody waits for this.
      void sending()
        .then(() => (transport instanceof StreamableHTTPClientTransport && connected ? transport.terminateSession() : undefined))
        .catch(() => undefined)
        .finally(() => client.close().catch(() => undefined));
    };
  });
}

/**
 * Notes the transport's sends in flight, so closing can let them finish: closing
 * an HTTP transport aborts its requests, a last `notifications/cancelled` included.
 * Returns a function that resolves when those in flight now have gone (1 s at most).
 */
function trackSends(transport: Transport): () => Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const sent = send(message, options);
    const settled = sent.catch(() => undefined).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
    return sent;
  };
  return () =>
    Promise.race([Promise.all(inFlight).then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, 1000).unref?.())]);
}

/** Every page of the server's tool list. */
async function listTools(client: Client, signal: AbortSignal): Promise<McpToolInfo[]> {
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, { signal });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

function connectionError(server: string, what: string, error: unknown): McpConnectionError {
  return new McpConnectionError(server, `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
