// Many nodes on Redis: the RedisRunRegistry's event log and cross-node cancel, against a real
// redis-server on loopback and two server processes. Measured by nodes-measure.ts in a child process.
import { runMeasureScript } from '../lib/measure-script.mjs';
import { fmt, table, verdict } from '../lib/stats.mjs';

const targets = { addedP99Ms: 2, cancelMedianMs: 10 };

export default {
  id: 'nodes',
  sizes: { smoke: {}, full: {} },
  once: true,

  async run({ smoke, benchDir, rootDir }) {
    const result = await runMeasureScript({ benchDir, rootDir }, 'nodes-measure.ts', smoke ? ['--smoke'] : [], " (its error is printed above; it needs Debian's redis-server)");
    return { 'rxjs-agents': [{ value: result.latency.redis.p99, ...result }] };
  },

  report({ results }) {
    const r = results('rxjs-agents')[0];
    if (!r) return ['## Many nodes on Redis (RedisRunRegistry)', '', 'No result.'];
    const { memory, redis } = r.latency;
    const row = (name, s) => [name, s.samples.toLocaleString('en'), fmt(s.median, 3), fmt(s.p99, 3), fmt(s.max, 2)];
    return [
      `## Many nodes on Redis: RedisRunRegistry on Redis ${r.redisVersion} (Debian redis-server, no persistence, 127.0.0.1, ioredis)`,
      '',
      `Event log: a run's events appended by its owner and read live by another registry on its own connection, as another node would, ` +
        `${r.sizes.runs} runs of ${r.sizes.eventsPerRun.toLocaleString('en')} events in bursts of ${r.sizes.burst} every millisecond (a model's pace). ` +
        'Time from `append` to the reader, per event (ms); with Redis it is all added (the in-memory log hands events over in the same call):',
      '',
      ...table(['registry', 'events', 'median', 'p99', 'max'], [row('MemoryRunRegistry', memory), row('RedisRunRegistry', redis)]),
      '',
      ...table(['added per event', 'target', 'result'], [[`p99 ${fmt(redis.p99 - memory.p99, 3)} ms`, `p99 < ${targets.addedP99Ms} ms`, verdict(redis.p99 - memory.p99 < targets.addedP99Ms)]]),
      '',
      `Throughput: one owner appending ${r.sizes.throughputEvents.toLocaleString('en')} events as fast as it can (batched: one script call per batch, one batch in flight), ` +
        `until the reader has the last: **${fmt(r.eventsPerSecond, 0)} events/s**.`,
      '',
      'Cancel across nodes: two server processes on one Redis; a run streaming from node A (its model stream open at the OpenAI-wire test server), ' +
        '`POST runs/{id}/cancel` sent to a node, until the model socket closes (ms):',
      '',
      ...table(['cancel sent to', 'samples', 'median', 'p99', 'target', 'result'], [
        ['node A (the owner)', r.cancel.sameNode.samples, fmt(r.cancel.sameNode.median, 2), fmt(r.cancel.sameNode.p99, 2), '', ''],
        ['node B (another node)', r.cancel.otherNode.samples, fmt(r.cancel.otherNode.median, 2), fmt(r.cancel.otherNode.p99, 2), `median < ${targets.cancelMedianMs} ms`, verdict(r.cancel.otherNode.median < targets.cancelMedianMs)],
      ]),
    ];
  },
};
