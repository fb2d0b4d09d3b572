import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { RunsHandler } from '../../lib/server/index.js';

/** A `serveRuns` handler in a real Node `http` server on 127.0.0.1, mounted under `/api`. */
export interface RunsServer {
  /** Where the handler is mounted: `http://127.0.0.1:<port>/api`. */
  readonly url: string;
  readonly handler: RunsHandler;
  /** Connections open now. */
  readonly openConnections: number;
  /** Event streams being written now. */
  readonly openStreams: number;
  /** Destroys the sockets of every event stream being written (a network drop). */
  dropStreams(): void;
  /** Closes every connection, then the runs, then the server. */
  close(): Promise<void>;
}

export async function startRunsServer(handler: RunsHandler): Promise<RunsServer> {
  const listener = getRequestListener(handler);
  const sockets = new Set<Socket>();
  const streams = new Set<ServerResponse>();
  const http = createServer((req, res) => {
    // The requests answered with event streams: starting a run and reading one.
    if (/\/(runs|events)$/.test(req.url ?? '')) {
      streams.add(res);
      res.once('close', () => streams.delete(res));
    }
    void listener(req, res);
  });
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    handler,
    get openConnections() {
      return sockets.size;
    },
    get openStreams() {
      return streams.size;
    },
    dropStreams() {
      for (const res of streams) res.socket?.destroy();
    },
    async close() {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await handler.close();
      await closed;
    },
  };
}
