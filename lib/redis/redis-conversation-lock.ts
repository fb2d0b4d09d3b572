import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { concat, defer, merge, mergeMap, Observable, retry, Subject, switchMap, throwError, timer } from 'rxjs';
import type { ConversationClaim, ConversationLock, ConversationRequest } from '../conversation/conversation-lock.js';
import { AgentsError } from '../errors/agents-error.js';
import { ConversationBusyError } from '../errors/conversation-busy-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { InputItem } from '../items/input-item.js';
import { decodeEvent, encodeEvent, type WireEvent } from '../events/event-codec.js';
import { redisHub } from './redis-hub.js';
import { leaseKeys, redisLease, type RedisLease } from './redis-lease.js';

/** What a run sends the holder of the conversation, on `<name>:to:<token>`. */
type Message = ConversationRequest & { readonly replyTo?: string };
/** The holder's answer to a steer on the steering run's reply channel; its events follow there. */
const ACCEPTED = '{"type":"steer.accepted"}';
const GONE = '{"type":"steer.gone"}';
const INTERRUPTED = 'interrupted by a newer run on the conversation';

/** The holder changed while steering: look again. */
class Retry extends Error {}

/**
 * A `ConversationLock` shared by every process on one Redis: a lease
 * (`redisLease`) named after the conversation, renewed while the run lives. The
 * holder listens on its own channel for steered input and interrupts, and sends
 * its events to the runs that steered into it.
 */
export function redisConversationLock(
  client: Redis,
  options: { readonly name: string; readonly leaseMs: number; readonly conversationId?: string },
): ConversationLock {
  const { name, leaseMs, conversationId } = options;
  const hub = redisHub(client);
  const lockKey = leaseKeys(name).lock;

  const owner$ = (mode: 'wait' | 'try', first = false) =>
    redisLease(client, name, { leaseMs, mode, first }).pipe(switchMap((lease) => hold(lease)));

  /** The claim of the lease holder: listening to other runs for as long as it is subscribed. */
  const hold = (lease: RedisLease) =>
    new Observable<ConversationClaim>((subscriber) => {
      const requests = new Subject<ConversationRequest>();
      const followers = new Set<string>();
      let ended = false;
      const inbox = hub.channel$(`${name}:to:${lease.token}`).subscribe((text) => {
        if (text === null) return;
        const message = JSON.parse(text) as Message;
        if (message.type === 'inject') {
          // After its terminal event the run takes no input: the steering run looks again.
          if (ended) return void client.publish(message.replyTo ?? '', GONE);
          if (message.replyTo) {
            followers.add(message.replyTo);
            void client.publish(message.replyTo, ACCEPTED);
          }
          requests.next({ type: 'inject', input: message.input });
        } else {
          requests.next({ type: 'cancel', reason: message.reason });
        }
      });
      // A lost lease is a graceful cancel, so the history stays valid.
      inbox.add(lease.lost$.subscribe(() => requests.next({ type: 'cancel', reason: 'the conversation lease was lost' })));
      subscriber.next({
        role: 'owner',
        requests$: requests.asObservable(),
        publish(event) {
          if (event.type === 'run.updated' && event.status !== 'running') ended = true;
          if (followers.size === 0) return;
          const text = JSON.stringify(encodeEvent(event));
          for (const follower of followers) void client.publish(follower, text);
        },
      });
      return () => {
        inbox.unsubscribe();
        requests.complete();
      };
    });

  /** Sends `input` to the holder and follows its events; queues when nobody holds the conversation. */
  const steer$ = (input: readonly InputItem[]): Observable<ConversationClaim> =>
    defer(() => client.get(lockKey)).pipe(
      switchMap((holder) => (holder ? follow(holder, input) : owner$('wait'))),
      retry({ delay: (error: unknown) => (error instanceof Retry ? timer(10) : throwError(() => error)) }),
    );

  const follow = (holder: string, input: readonly InputItem[]) =>
    new Observable<ConversationClaim>((subscriber) => {
      const replyTo = `${name}:reply:${randomUUID()}`;
      const events = new Subject<StreamEvent<unknown>>();
      let accepted = false;
      const fail = (error: unknown) => subscriber.error(error);
      // Not accepted within a lease, or the holder gone meanwhile: look again, or say so.
      const watch = timer(leaseMs, leaseMs).subscribe(() => {
        if (!accepted) return fail(new Retry());
        client.get(lockKey).then((now) => {
          if (now !== holder) fail(new AgentsError('The run this one steered into ended without a terminal event (its process stopped).'));
        }, fail);
      });
      const replies = hub.channel$(replyTo).subscribe({
        next: (text) => {
          if (text === null) {
            const message: Message = { type: 'inject', input, replyTo };
            client.publish(`${name}:to:${holder}`, JSON.stringify(message)).then((heard) => heard === 0 && fail(new Retry()), fail);
          } else if (!accepted) {
            if (text !== ACCEPTED) return fail(new Retry());
            accepted = true;
            subscriber.next({ role: 'steered', events$: events.asObservable() });
          } else {
            events.next(decodeEvent(JSON.parse(text) as WireEvent));
          }
        },
        error: fail,
      });
      return () => {
        watch.unsubscribe();
        replies.unsubscribe();
        events.complete();
      };
    });

  /** Asks the holder, if any, to cancel gracefully. */
  const interrupt$ = defer(async () => {
    const holder = await client.get(lockKey);
    const message: Message = { type: 'cancel', reason: INTERRUPTED };
    if (holder) await client.publish(`${name}:to:${holder}`, JSON.stringify(message));
  }).pipe(mergeMap(() => []));

  return {
    claim(onBusy, input) {
      switch (onBusy) {
        case 'reject':
          return concat(owner$('try'), throwError(() => new ConversationBusyError(conversationId)));
        case 'steer':
          return concat(owner$('try'), steer$(input));
        case 'interrupt':
          // Queued first, then the holder is asked to stop (same connection, so in that order): nobody slips in between.
          return merge(owner$('wait', true), interrupt$);
        default:
          return owner$('wait');
      }
    },
  };
}
