import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';

/** Messages of one channel: `null` once the subscription is confirmed (publishers reach it from then on), then each message. */
export type ChannelMessages = Observable<string | null>;

/**
 * Pub/sub over one subscriber connection per client (a duplicate of it), opened
 * with the first listener and closed when the client ends (`quit()` or
 * `disconnect()`): runs come and go without a connection each.
 */
export interface RedisHub {
  channel$(channel: string): ChannelMessages;
}

const hubs = new WeakMap<Redis, RedisHub>();

/** The hub of `client` (one per client). */
export function redisHub(client: Redis): RedisHub {
  let hub = hubs.get(client);
  if (!hub) hubs.set(client, (hub = createHub(client)));
  return hub;
}

function createHub(client: Redis): RedisHub {
  let connection: Redis | undefined;
  const listeners = new Map<string, { ready: Promise<void>; each: Set<(message: string) => void> }>();

  const open = (): Redis => {
    if (!connection) {
      const duplicate = (connection = client.duplicate());
      client.once('end', () => {
        connection = undefined;
        listeners.clear();
        duplicate.disconnect();
      });
      connection.on('message', (channel: string, message: string) => {
        for (const listener of listeners.get(channel)?.each ?? []) listener(message);
      });
      // Failures surface on the commands; without a listener ioredis would print them.
      connection.on('error', () => undefined);
    }
    return connection;
  };

  return {
    channel$: (channel) =>
      new Observable<string | null>((subscriber) => {
        const redis = open();
        let entry = listeners.get(channel);
        if (!entry) listeners.set(channel, (entry = { ready: redis.subscribe(channel).then(() => undefined), each: new Set() }));
        const listener = (message: string) => subscriber.next(message);
        entry.each.add(listener);
        entry.ready.then(
          () => subscriber.next(null),
          (error: unknown) => subscriber.error(error),
        );
        return () => {
          entry.each.delete(listener);
          if (entry.each.size > 0) return;
          listeners.delete(channel);
          if (redis.status === 'ready') void redis.unsubscribe(channel).catch(() => undefined);
        };
      }),
  };
}
