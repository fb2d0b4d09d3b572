// Remote runs: serveRuns in one process, remoteRun clients in another, models on the bench's
// Responses server. Measured by remote-measure.ts in a child process (it forks the server).
import { runMeasureScript } from '../lib/measure-script.mjs';
import { sleep } from '../lib/measure.mjs';
import { fmt, table, verdict } from '../lib/stats.mjs';

const targets = { ratio: 1.5, cancelMs: 5, eldP99Ms: 100 };

export default {
  id: 'remote',
  sizes: { smoke: {}, full: {} },
  once: true,

  async run({ smoke, benchDir, rootDir, origin, server }) {
    const result = await runMeasureScript({ benchDir, rootDir }, 'remote-measure.ts', [`--origin=${origin}`, ...(smoke ? ['--smoke'] : [])]);
    // The bench server closes its side of thousands of slow streams: let it finish before the next section measures.
    for (let waited = 0; server.stats().openSlow > 0 && waited < 30_000; waited += 50) await sleep(50);
    await sleep(1000);
    return { 'rxjs-agents': [{ value: result.perEvent.ratio, ...result }] };
  },

  report({ results }) {
    const r = results('rxjs-agents')[0];
    if (!r) return ['## Remote runs (serveRuns / remoteRun)', '', 'No result.'];
    const biggest = r.concurrency.at(-1);
    return [
      '## Remote runs: serveRuns in one process, remoteRun clients in another (loopback HTTP, SSE)',
      '',
      `Per event: CPU time of the server process for a whole run, divided by the run's ${r.events.toLocaleString('en')} events (a ${r.deltas.toLocaleString('en')}-delta stream from the bench server): ` +
        'a local `run()` in that process, and the same run started and read to the end by `remoteRun` in the client process ' +
        `(${r.perEvent.reps} runs each, interleaved, µs per event: medians; the ratio is the median of each remote run's against the local run just before it, as in the paired sections, so the machine's drift between runs is not counted; the ratio of the two medians was ${fmt(r.perEvent.ratioOfMedians, 2)}×). The remote cost includes receiving the POST, encoding the events and writing them as SSE. ` +
        `By default \`serveRuns\` keeps the provider's raw \`model.event\` chunks on the server (${r.sent.toLocaleString('en')} of the ${r.events.toLocaleString('en')} events would cross) and sends the deltas of one read of the model's stream as one event (\`coalesceDeltas\`): ` +
        `the bench server writes its stream in 64 KB chunks, so ${r.frames.toLocaleString('en')} events crossed, with the same text and every other event (checked on every run). ` +
        'A model read slowly gives one delta per read, and then each crosses on its own: the second row is that cost, every delta its own frame (`coalesceDeltas: false`); the last row also sends the raw chunks (`sendEvent: () => true`).',
      '',
      ...table(['run', 'server CPU per event (µs)', 'ratio', 'target', 'result'], [
        ['local run()', fmt(r.perEvent.localUs, 2), '1.00×', '', ''],
        ['remote run (server side), default', fmt(r.perEvent.remoteUs, 2), `${fmt(r.perEvent.ratio, 2)}×`, `≤ ${targets.ratio}×`, verdict(r.perEvent.ratio <= targets.ratio)],
        ['remote run, each delta its own frame', fmt(r.perEvent.remoteEachUs, 2), `${fmt(r.perEvent.ratioEach, 2)}×`, '', ''],
        ['remote run, every event its own frame', fmt(r.perEvent.remoteAllUs, 2), `${fmt(r.perEvent.ratioAll, 2)}×`, '', ''],
      ]),
      '',
      `The client process spent ${fmt(r.perEvent.clientUs, 2)} µs per event of the ${r.sent.toLocaleString("en")} that cross without joining (fetch, SSE parsing, decoding), and ${fmt(r.perEvent.clientEachUs, 2)} µs with each delta its own frame.`,
      '',
      `Cancel: unsubscribe in the client to the model's socket closing at the bench server (a slow stream, a delta every 10 ms), ${r.cancel.samples} cancels (ms):`,
      '',
      ...table(['median', 'p99', 'target', 'result'], [[fmt(r.cancel.median, 2), fmt(r.cancel.p99, 2), `median ≤ ${targets.cancelMs} ms`, verdict(r.cancel.median <= targets.cancelMs)]]),
      '',
      'Concurrency: N remote runs streaming at once, opened ' + r.batch + ' at a time (each model stream sends a delta a second, each on its own phase, as independent users\' streams do); ' +
        'server heap per run after gc, the server\'s event-loop delay and CPU while they stream (held ' + r.holdMs / 1000 + ' s), and, over the same window, the event-loop delay of an idle process: ' +
        'what the machine\'s scheduler alone costs (on a shared machine the server\'s delay includes it).',
      '',
      ...table(['streams (streaming / asked)', 'failed', 'heap per run (KB)', 'event-loop delay p99 (ms)', 'max (ms)', 'idle process p99 (ms)', 'server CPU (share of a core)', 'server CPU per delta (µs)', 'median time to first delta (ms)', 'target', 'result'],
        r.concurrency.map((c) => [`${c.streaming.toLocaleString('en')} / ${c.streams.toLocaleString('en')}`, c.failed, fmt(c.heapPerStreamKB, 1), fmt(c.eldP99, 2), fmt(c.eldMax, 2), fmt(c.idleEldP99, 2), fmt(c.cpuShare, 2), fmt(c.cpuPerDeltaUs, 0), fmt(c.firstDeltaMs, 0),
          c === biggest ? `p99 < ${targets.eldP99Ms} ms` : '', c === biggest ? verdict(c.eldP99 !== null && c.eldP99 < targets.eldP99Ms && c.failed === 0 && c.streaming === c.streams && c.leftRuns === 0) : ''])),
      ...r.concurrency.flatMap((c) => [
        ...(c.firstFailure ? ['', `At ${c.streams.toLocaleString('en')} streams, ${c.failed} failed; the first: ${c.firstFailure}`] : []),
        ...(c.streaming < c.streams ? ['', `At ${c.streams.toLocaleString('en')} streams, ${c.opened.toLocaleString('en')} were opened within the opening budget and ${c.streaming.toLocaleString('en')} delivered a first delta.`] : []),
        ...(c.eldP99 === null || c.eldP99 === Infinity ? ['', `At ${c.streams.toLocaleString('en')} streams, the server's event loop did not come round to its timers once during the hold (saturated): no delay could be sampled.`] : []),
        ...(c.leftRuns ? ['', `At ${c.streams.toLocaleString('en')} streams, ${c.leftRuns} runs were still active a minute after their cancels.`] : []),
      ]),
    ];
  },
};
