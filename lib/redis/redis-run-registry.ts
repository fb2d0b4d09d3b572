import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { firstValueFrom, filter, type Observable, type Subscription } from 'rxjs';
import { UserError } from '../errors/agents-error.js';
import { RunOwnerLostError } from '../errors/run-owner-lost-error.js';
import { encodeError, type WireEvent } from '../events/event-codec.js';
import type { TerminalRunStatus } from '../events/run-status.js';
import type {
  ControlOutcome,
  ControlReceiver,
  LoggedEvent,
  OwnedRun,
  RunControl,
  RunRecord,
  RunRegistry,
} from '../server/run-registry.js';
import { terminalStatusOf } from '../server/terminal-status-of.js';
import { openRunInbox, type RunInbox } from './open-run-inbox.js';
import { readRunLog } from './read-run-log.js';
import { redisHub } from './redis-hub.js';
import { appendEvents, createRun, renewLeases, sweepLapsed } from './redis-run-scripts.js';

/** Options of {@link RedisRunRegistry}. */
export interface RedisRunRegistryOptions {
  /** The connection (ioredis) every node shares a server through. It is not closed by the registry. */
  readonly client: Redis;
  /** Prefix of every key and channel. Default `rxjs-agents:runs`. */
  readonly prefix?: string;
  /**
   * Within how long a run whose node died (or lost Redis) is ended `failed` with a
   * {@link RunOwnerLostError} by another node. The owner renews its claim four times
   * as often. Default 10 seconds.
   */
  readonly leaseMs?: number;
  /** How long a finished run's events stay readable (a late reconnect replays them). Default 5 minutes. */
  readonly retainMs?: number;
  /** Events kept per run (older ones are trimmed; a resume from a trimmed id is refused). Default 100,000. */
  readonly maxEvents?: number;
}

const controlsKept = 10_000;

/**
 * A {@link RunRegistry} shared by every server node on one Redis: any node serves
 * any request for any run.
 *
 * - Each run's events go to a Redis Stream (ids `<ms>-<seq>`, the SSE ids), appended
 *   in batches (one script call per batch, at most one in flight per run) and
 *   published to the nodes reading it; readers replay from the stream, then go live.
 * - Controls sent to any node go to the owner node's control stream, in order, and
 *   the sender learns whether the run took them.
 * - The owner renews a lease on each run it executes; when a node dies, another
 *   ends its runs `failed` with a {@link RunOwnerLostError} within `leaseMs`.
 *
 * Call `close()` when the server shuts down (after `serveRuns`'s `close()`).
 *
 * @example
 * import { Redis } from 'ioredis';
 * const registry = new RedisRunRegistry({ client: new Redis(process.env.REDIS_URL) });
 * const handler = serveRuns({ agents: { assistant }, registry });
 */
export class RedisRunRegistry implements RunRegistry {
  /** This process's name in Redis: its control stream is addressed by it. */
  readonly nodeId = randomUUID();
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly retainMs: number;
  private readonly maxEvents: number;
  private readonly owned = new Map<string, ControlReceiver>();
  private readonly waiting = new Map<string, (accepted: boolean) => void>();
  private readonly inbox: RunInbox;
  private readonly replies: Subscription;
  private readonly repliesReady: Promise<unknown>;
  private readonly timers: ReturnType<typeof setInterval>[];
  /** When the last renewal that succeeded was sent (the leases reach a claim beyond it). */
  private renewedAt = performance.now();

  constructor(options: RedisRunRegistryOptions) {
    if (!options?.client) throw new UserError('RedisRunRegistry needs `client`: an ioredis client.');
    this.client = options.client;
    this.prefix = options.prefix ?? 'rxjs-agents:runs';
    this.leaseMs = options.leaseMs ?? 10_000;
    this.retainMs = options.retainMs ?? 5 * 60_000;
    this.maxEvents = options.maxEvents ?? 100_000;
    for (const [name, value, least] of [['leaseMs', this.leaseMs, 100], ['retainMs', this.retainMs, 0], ['maxEvents', this.maxEvents, 1]] as const) {
      if (!Number.isFinite(value) || value < least) throw new UserError(`RedisRunRegistry: ${name} must be a number of at least ${least} (got ${value}).`);
    }

    this.inbox = openRunInbox(this.client, this.inboxOf(this.nodeId), (id, control) => this.owned.get(id)?.(control) ?? false);
    const replies$: Observable<string | null> = redisHub(this.client).channel$(this.replyChannel);
    this.repliesReady = firstValueFrom(replies$.pipe(filter((m) => m === null))).catch(() => undefined);
    this.replies = replies$.subscribe({
      next: (message) => {
        if (message === null) return;
        const [request, accepted] = message.split(' ');
        this.waiting.get(request!)?.(accepted === '1');
      },
      error: () => undefined,
    });
    // Renew this node's claims and look for runs whose node died, four times a lease.
    const tick = this.leaseMs / 4;
    this.timers = [setInterval(() => void this.renew(), tick), setInterval(() => void this.sweep(), tick)];
    for (const timer of this.timers) timer.unref();
  }

  async create(record: RunRecord, receive: ControlReceiver): Promise<OwnedRun> {
    const { id } = record;
    const meta = this.metaOf(id);
    const log = `${meta}:log`;
    const leases = this.leases;
    const created = await createRun.run(this.client, [meta, leases], [id, record.identity, record.agent, this.nodeId, this.claimMs]);
    if (created !== 1) throw new RangeError(`A run with id ${id} already exists.`);
    this.renewedAt = Math.max(this.renewedAt, performance.now() - this.leaseMs / 4);
    this.owned.set(id, receive);

    // Events appended while a batch is being written go together in the next one.
    let pending: string[] = [];
    let terminal: TerminalRunStatus | undefined;
    let next: Promise<unknown> | undefined;
    let tail: Promise<unknown> = Promise.resolve();
    const write = async () => {
      next = undefined;
      const batch = pending;
      pending = [];
      const args = [this.nodeId, this.maxEvents, this.retainMs, id, terminal ?? '', ...batch];
      // A store stalled for longer than a claim cannot keep the run: other nodes will end it.
      if ((await within(appendEvents.run(this.client, [meta, log, leases], args), this.claimMs)) !== 1) {
        throw new RunOwnerLostError(`Run ${id} is no longer this node's: its events cannot be appended.`);
      }
    };
    return {
      append: (event: WireEvent) => {
        pending.push(JSON.stringify(event));
        terminal ??= terminalStatusOf(event);
        return (next ??= tail = tail.then(write));
      },
      end: async () => {
        await tail.catch(() => undefined);
        this.owned.delete(id);
      },
    };
  }

  async find(id: string): Promise<RunRecord | undefined> {
    const [identity, agent] = await this.client.hmget(this.metaOf(id), 'identity', 'agent');
    return identity && agent ? { id, identity, agent } : undefined;
  }

  events(id: string, after?: string): Observable<LoggedEvent> {
    const meta = this.metaOf(id);
    return readRunLog(this.client, redisHub(this.client), meta, `${meta}:log`, after);
  }

  async send(id: string, control: RunControl): Promise<ControlOutcome> {
    const receive = this.owned.get(id);
    if (receive) return receive(control) ? { accepted: true } : this.ended(id);
    const [owner, status] = await this.client.hmget(this.metaOf(id), 'owner', 'status');
    if (!owner) return { accepted: false };
    if (status !== 'running') return { accepted: false, status: status as TerminalRunStatus };
    const fields = ['r', id, 'c', JSON.stringify(control)];
    if (control.type === 'attached' || control.type === 'detached') {
      await this.client.xadd(this.inboxOf(owner), 'MAXLEN', '~', controlsKept, '*', ...fields);
      return { accepted: true };
    }
    await this.repliesReady;
    const request = randomUUID();
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<boolean | undefined>((resolve) => {
      this.waiting.set(request, resolve);
      // An owner that died never answers; by then the sweep has ended its run.
      timeout = setTimeout(() => resolve(undefined), this.leaseMs * 1.5);
    });
    try {
      await this.client.xadd(this.inboxOf(owner), 'MAXLEN', '~', controlsKept, '*', ...fields, 'to', this.replyChannel, 'q', request);
      const accepted = await reply;
      if (accepted) return { accepted: true };
      const outcome = await this.ended(id);
      // No answer but still running: the message waits in the owner's stream, which reads it in order.
      return accepted === undefined && !('status' in outcome) ? { accepted: true } : outcome;
    } finally {
      clearTimeout(timeout);
      this.waiting.delete(request);
    }
  }

  /** Stops this node's timers and readers. Runs it still executes are ended by other nodes once their lease lapses. */
  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.inbox.close();
    this.replies.unsubscribe();
  }

  /** Refused: how the run ended, if it has. */
  private async ended(id: string): Promise<ControlOutcome> {
    const status = await this.client.hget(this.metaOf(id), 'status');
    return status && status !== 'running' ? { accepted: false, status: status as TerminalRunStatus } : { accepted: false };
  }

  private async renew(): Promise<void> {
    const sentAt = performance.now();
    try {
      const ids = [...this.owned.keys()];
      const renewal = renewLeases.run(this.client, [this.leases, this.inboxOf(this.nodeId)], [this.claimMs, this.leaseMs * 3, ...ids]);
      const lost = (await within(renewal, this.claimMs)) as string[];
      this.renewedAt = sentAt;
      // Another node ended these runs while this one could not renew: stop them here too.
      for (const id of lost) this.owned.get(id)?.({ type: 'cancel', reason: 'this server lost the run (its lease lapsed)' });
    } catch {
      // Unrenewed for longer than a claim, the runs are (or will be) ended by another node: stop them.
      if (performance.now() - this.renewedAt <= this.claimMs) return;
      for (const receive of this.owned.values()) receive({ type: 'cancel', reason: 'this server lost its connection to Redis' });
    }
  }

  private async sweep(): Promise<void> {
    const event = { type: 'run.updated', status: 'failed', error: encodeError(new RunOwnerLostError('The server running this run stopped before it ended.')) };
    try {
      await sweepLapsed.run(this.client, [this.leases], [`${this.prefix}:run:`, JSON.stringify(event), this.retainMs, this.maxEvents, 100]);
    } catch {
      // Tried again at the next tick.
    }
  }

  /** How far ahead a claim reaches: a node dead just after renewing is seen by a sweep within `leaseMs`. */
  private get claimMs(): number {
    return Math.floor((this.leaseMs * 2) / 3);
  }

  private get leases(): string {
    return `${this.prefix}:leases`;
  }

  private get replyChannel(): string {
    return `${this.prefix}:replies:${this.nodeId}`;
  }

  private metaOf(id: string): string {
    return `${this.prefix}:run:${id}`;
  }

  private inboxOf(node: string): string {
    return `${this.prefix}:node:${node}`;
  }
}

/** `promise`, or a rejection once `ms` have passed without it settling. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RunOwnerLostError(`Redis did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
