import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';

/** A real redis-server for the file's tests, and clients on it that are closed at the end. */
export function useRedis(): { readonly server: RedisServer; client(): Redis } {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    await server?.stop();
  });
  return {
    get server() {
      return server!;
    },
    client() {
      const client = new Redis(server!.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
      clients.push(client);
      return client;
    },
  };
}
