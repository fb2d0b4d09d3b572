// Durable conversations: RedisSession on a real redis-server (loopback), measured by
// durable-measure.ts in a child process (the section starts and stops its own Redis there).
import { runMeasureScript } from '../lib/measure-script.mjs';
import { fmt, table, verdict } from '../lib/stats.mjs';

export default {
  id: 'durable',
  sizes: {
    smoke: {},
    full: {},
  },
  once: true,

  async run({ smoke, benchDir, rootDir }) {
    const result = await runMeasureScript({ benchDir, rootDir }, 'durable-measure.ts', smoke ? ['--smoke'] : [], " (its error is printed above; it needs Debian's redis-server)");
    return { 'rxjs-agents': [{ value: result.perTurn.added, ...result }] };
  },

  report({ results }) {
    const r = results('rxjs-agents')[0];
    if (!r) return ['## Durable conversations (RedisSession)', '', 'No result.'];
    const row = (name, s) => [name, s.samples, fmt(s.median, 3), fmt(s.p99, 3)];
    const added = r.perTurn.added;
    return [
      `## Durable conversations: RedisSession on Redis ${r.redisVersion} (Debian redis-server, no persistence, 127.0.0.1, ioredis)`,
      '',
      'Session operations, one client, one after another (ms):',
      '',
      ...table(['operation', 'samples', 'median', 'p99'], [
        row('append 1 message', r.appendOne),
        row('append a turn (call, output, message)', r.appendTurn),
        ...r.reads.flatMap((read) => [
          row(`read a ${read.length}-item history whole (nothing of it held in the process)`, read),
          row(`read it again, nothing new (held: only the check and what is new cross)`, read.again),
        ]),
      ]),
      '',
      `Throughput, ${r.throughput.conversations} conversations at once on one client: ${fmt(r.throughput.appendsPerSecond, 0)} appends/s, ` +
        `${fmt(r.throughput.readsPerSecond, 0)} reads/s (${r.throughput.ops} of each).`,
      '',
      `Cost per turn: the same run (${r.perTurn.turns - 1} tool calls and a final answer, ${r.perTurn.turns} model turns on a ScriptedModel, so only the library and the store are timed) ` +
        'on MemorySession and on RedisSession; wall time of the run divided by its turns. Each run claims the conversation (onBusy `queue`), reads it, writes it and releases it.',
      '',
      ...table(['session', 'runs', 'ms per turn, median', 'p99', 'target', 'result'], [
        ['MemorySession', r.perTurn.memory.samples, fmt(r.perTurn.memory.median, 3), fmt(r.perTurn.memory.p99, 3), '', ''],
        ['RedisSession', r.perTurn.redis.samples, fmt(r.perTurn.redis.median, 3), fmt(r.perTurn.redis.p99, 3), `median ≤ Memory + 1 ms`, verdict(added < 1)],
      ]),
      '',
      `Added per turn by Redis, median: ${fmt(added, 3)} ms.`,
      ...(r.long?.length
        ? [
            '',
            '### A long conversation',
            '',
            'One turn (the user\'s message, a one-word answer from a model that reads nothing) on a conversation of n items, median of ' +
              'the runs, a new RedisSession object for each run as a server makes them (claim, read, write, release). "RedisSession" reads through a ' +
              '`RedisHistoryCache` large enough to hold the conversation (the default one holds 100,000 items over all conversations), so it reads what was appended since the process last read; ' +
              '"whole list" is the same with `historyCache: new RedisHistoryCache({ maxItems: 0 })`, which reads and parses the whole list every turn (what every read did before the cache). ' +
              `Target: what Redis adds to the turn does not grow with the conversation: at most 1 ms more than at ${r.long[0].length.toLocaleString('en-US')} items.`,
            '',
            ...table(
              ['items', 'MemorySession ms', 'RedisSession ms', 'added', 'RedisSession, whole list ms', 'result'],
              r.long.map((l) => {
                const added = l.cached - l.memory;
                return [l.length.toLocaleString('en-US'), fmt(l.memory, 3), fmt(l.cached, 3), fmt(added, 3), fmt(l.whole, 3), verdict(added - (r.long[0].cached - r.long[0].memory) <= 1)];
              }),
            ),
          ]
        : []),
    ];
  },
};
