import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { merge, Observable, Subject, timer } from 'rxjs';
import { redisHub } from './redis-hub.js';
import { redisScript } from './redis-script.js';

/** Options of {@link redisLease}. */
export interface RedisLeaseOptions {
  /** How long the lease lasts unless renewed (it is renewed every third of it while held). */
  readonly leaseMs: number;
  /** `wait`: queue until the lease is free (served in order); `try`: take it only if free now and nobody waits. */
  readonly mode: 'wait' | 'try';
  /** Queue ahead of those already waiting (an interrupting run). */
  readonly first?: boolean;
}

/** A held lease. */
export interface RedisLease {
  /** Unique to this holder; stored in the lock key, so others can address the holder. */
  readonly token: string;
  /** Emits if the lease was lost (it expired before renewal, say after a long pause): stop the work it guards. */
  readonly lost$: Observable<void>;
}

// KEYS: lock, queue (token by ticket), alive (token by deadline). ARGV: token, leaseMs, mode, aliveMs.
// Forgets waiters that stopped renewing, then takes the lock if it is free and the token may have it.
const tryAcquire = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  redis.call('ZREM', KEYS[2], dead)
  redis.call('ZREM', KEYS[3], dead)
end
local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
if redis.call('EXISTS', KEYS[1]) == 1 or (head and head ~= ARGV[1]) then
  if ARGV[3] == 'wait' then redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[1]) end
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`);

// KEYS: ticket, queue, alive. ARGV: token, first (1/0), aliveMs.
const enqueue = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], ARGV[2] == '1' and -n or n, ARGV[1])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[1])
`);

// KEYS: lock. ARGV: token, leaseMs.
const renew = redisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`);

// KEYS: lock, queue, alive. ARGV: token, channel. Leaves the queue, or releases the lock and tells the waiters.
const release = redisScript(`
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[1])
return 1
`);

/** The keys of the lease named `name`. */
export function leaseKeys(name: string) {
  return { lock: `${name}:lock`, queue: `${name}:queue`, alive: `${name}:alive`, ticket: `${name}:ticket`, released: `${name}:released` };
}

/**
 * A lease lock on Redis named `name`: emits once it is held, renews it while
 * subscribed, releases it on unsubscribe. It expires if its holder dies, so the
 * lock is never stuck. Waiters are served in order; one that dies leaves the
 * queue after `leaseMs`. In `try` mode a busy lock completes without emitting.
 */
export function redisLease(client: Redis, name: string, options: RedisLeaseOptions): Observable<RedisLease> {
  const keys = leaseKeys(name);
  const { leaseMs, mode } = options;
  return new Observable<RedisLease>((subscriber) => {
    const token = randomUUID();
    const lost$ = new Subject<void>();
    let held = false;
    let closed = false;
    let attempt: Promise<void> | undefined;
    let again = false;
    const subscriptions: { unsubscribe(): void }[] = [];

    const hold = () => {
      held = true;
      subscriptions.forEach((s) => s.unsubscribe());
      subscriptions.length = 0;
      subscriber.next({ token, lost$: lost$.asObservable() });
      subscriptions.push(
        timer(leaseMs / 3, leaseMs / 3).subscribe(() => {
          renew.run(client, [keys.lock], [token, leaseMs]).then(
            (ok) => ok === 0 && !closed && lost$.next(),
            () => undefined, // a failed renewal is retried at the next tick; the lease may still expire, which `lost$` then says
          );
        }),
      );
    };
    // One attempt at a time; a wake-up during an attempt may come after its check, so it earns another.
    const tryNow = (): Promise<void> => {
      if (attempt) {
        again = true;
        return attempt;
      }
      return (attempt = tryAcquire
        .run(client, [keys.lock, keys.queue, keys.alive], [token, leaseMs, mode, leaseMs])
        .then((got) => {
          attempt = undefined;
          if (closed || held) return;
          if (got === 1) hold();
          else if (mode === 'try') subscriber.complete();
          else if (again) {
            again = false;
            void tryNow();
          }
        })
        .catch((error: unknown) => {
          attempt = undefined;
          subscriber.error(error);
        }));
    };

    const queue = () => {
      // Try again when a holder releases, and every third of a lease (a holder that died releases nothing).
      subscriptions.push(
        merge(redisHub(client).channel$(keys.released), timer(leaseMs / 3, leaseMs / 3)).subscribe({
          next: () => void tryNow(),
          error: (error: unknown) => subscriber.error(error),
        }),
      );
      enqueue.run(client, [keys.ticket, keys.queue, keys.alive], [token, options.first ? 1 : 0, leaseMs]).then(
        () => void tryNow(),
        (error: unknown) => subscriber.error(error),
      );
    };

    const teardown = () => {
      closed = true;
      subscriptions.forEach((s) => s.unsubscribe());
      lost$.complete();
      // Whatever state the attempt is in, leave the queue or release the lock.
      const leave = () => release.run(client, [keys.lock, keys.queue, keys.alive], [token, keys.released]).catch(() => undefined);
      void (attempt ? attempt.then(leave, leave) : leave());
    };
    if (options.first) {
      // Queued at once, so an interrupt sent after subscribing finds this run first in line.
      queue();
      return teardown;
    }
    // Free and nobody waiting: taken in one round trip. Otherwise `wait` queues.
    attempt = tryAcquire.run(client, [keys.lock, keys.queue, keys.alive], [token, leaseMs, 'try', leaseMs]).then(
      (got) => {
        attempt = undefined;
        if (closed) return;
        if (got === 1) return hold();
        if (mode === 'try') return subscriber.complete();
        queue();
      },
      (error: unknown) => {
        attempt = undefined;
        subscriber.error(error);
      },
    );
    return teardown;
  });
}
