import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';
import type { WireEvent } from '../events/event-codec.js';
import type { LoggedEvent } from '../server/run-registry.js';
import { terminalStatusOf } from '../server/terminal-status-of.js';
import type { RedisHub } from './redis-hub.js';

const streamId = /^\d{1,20}-\d{1,20}$/;

/** Whether stream id `a` comes after `b` (`ms-seq`, compared as numbers). */
function isAfter(a: string, b: string): boolean {
  const [am, as] = a.split('-');
  const [bm, bs] = b.split('-');
  return am!.length !== bm!.length ? am!.length > bm!.length : am !== bm ? am! > bm! : Number(as) > Number(bs);
}

/**
 * A run's events from its Redis Stream `log` after stream id `after`, then live
 * ones as the owner publishes them on the log's name, each once and in order,
 * completing after the terminal event. The channel is subscribed before the log
 * is read, so no event falls between the replay and the live part; events that
 * arrive during the replay are held and passed on only if newer than it.
 */
export function readRunLog(client: Redis, hub: RedisHub, meta: string, log: string, after?: string): Observable<LoggedEvent> {
  return new Observable<LoggedEvent>((subscriber) => {
    if (after !== undefined && !streamId.test(after)) {
      subscriber.error(new RangeError(`"${after}" is not an event id of this run.`));
      return;
    }
    let last = after ?? '0-0';
    let held: string[] | undefined = [];
    const emit = (id: string, json: string) => {
      if (!isAfter(id, last)) return;
      last = id;
      const event = JSON.parse(json) as WireEvent;
      subscriber.next({ id, event });
      if (terminalStatusOf(event)) subscriber.complete();
    };
    const emitMessage = (message: string) => {
      const parts = message.split('\n');
      for (let i = 0; i + 1 < parts.length && !subscriber.closed; i += 2) emit(parts[i]!, parts[i + 1]!);
    };
    const replay = async () => {
      const pipeline = client.pipeline().exists(meta);
      if (after !== undefined) pipeline.xrange(log, after, after);
      pipeline.xrange(log, after === undefined ? '-' : `(${after}`, '+');
      const results = (await pipeline.exec()) ?? [];
      for (const [error] of results) if (error) throw error;
      const [exists, ...ranges] = results.map(([, value]) => value);
      if (exists !== 1) throw new RangeError('Unknown run.');
      // An id the log does not hold (never, or trimmed since) cannot be resumed exactly once.
      if (after !== undefined && (ranges.shift() as unknown[]).length === 0) throw new RangeError(`"${after}" is not an event id of this run.`);
      for (const [id, fields] of ranges[0] as [string, string[]][]) {
        if (subscriber.closed) return;
        emit(id, fields[1]!);
      }
      const live = held!;
      held = undefined;
      for (const message of live) if (!subscriber.closed) emitMessage(message);
    };
    const subscription = hub.channel$(log).subscribe({
      next: (message) => {
        if (message === null) return void replay().catch((error: unknown) => subscriber.error(error));
        if (held) held.push(message);
        else emitMessage(message);
      },
      error: (error: unknown) => subscriber.error(error),
    });
    return subscription;
  });
}
