// Curve: a conversation of 100 to 100,000 history items. Per-turn cost over the wire (the whole
// history in every request, and continued with previous_response_id), the library's own per-turn
// work against the raw client's unavoidable work (serializing the request), and heap per
// in-flight run.
import { inFlight } from '../lib/in-flight.mjs';
import { pairedTimed, timed } from '../lib/measure.mjs';
import { count, curveOf, eachPoint, pairedSeriesOf, ratio, seriesOf, xsOf } from '../lib/curves.mjs';
import { makeHistory } from '../lib/workload.mjs';
import { fmt, pairedNote, table, verdict } from '../lib/stats.mjs';

export default {
  id: 'history',
  sizes: {
    smoke: { points: [100, 1000], reps: { default: 2 }, continuedReps: 2, warmup: 2, inFlight: { default: 4 }, holdMs: 50 },
    full: {
      points: [100, 1000, 10_000, 100_000],
      // Paired repetitions: the median of their ratios moves by ±0.05 between runs at 60; a turn is
      // milliseconds at the small points, so they get hundreds (about 20 s in all).
      reps: { 100: 200, 1000: 120, 10000: 40, 100000: 16 },
      // A continued turn sends one message at every size: as many at every point.
      continuedReps: 200,
      // Warm-up turns at the first point (steady state, as a server runs: see the notes); 2 at the others.
      // A continued turn's ratio to raw's still falls after 300 turns and settles after about 2,000
      // (bench/.tmp probe: 1.07, 1.09, 1.05, 1.02, 1.01, 1.01, 1.00 over successive 500-turn rounds).
      warmup: 2000,
      // Enough runs at every point that what a process allocates once (compiled code, caches) is not
      // charged to a few runs: 500 as in the memory headline at 100 items, fewer as each holds more.
      inFlight: { 100: 500, 1000: 200, 10000: 20, 100000: 4 },
      holdMs: 300,
    },
  },
  // Every round, as the tools curve: one run's paired ratio at a point moves by ±0.05, and it sits near 1.10× at 100,000 items.
  contenders: ['raw', 'rxjs-agents'],

  async measure(adapter, { origin, points, reps, continuedReps, warmup: firstWarmup, inFlight: runs, holdMs, via }, { raw }) {
    // Every point's turns first, then every point's heap: the heap is read after forced collections,
    // after which turns run slower for hundreds of turns, as if cold (bench/.tmp probe: continued turns
    // at 1,000 items after 6 forced collections 1.6 ms and 1.15× raw; without them 0.9 ms and 1.04–1.09×).
    const timings = await eachPoint(points, async (n) => {
      const history = makeHistory(n);
      const r = reps[n] ?? reps.default;
      const check = (out) => {
        if (out !== 'ok') throw new Error(`unexpected answer ${JSON.stringify(out)}`);
      };
      // At the first point, a warm-up on conversations of their own (their turns would lengthen the
      // measured one), a new one every 100 turns so that they stay the point's size, so the code runs
      // in steady state; then 2 warm-up turns on the measured one.
      const conversationOf = async (make) => {
        if (n === points[0] && firstWarmup > 2) {
          let warm;
          for (let i = 0; i < firstWarmup; i++) {
            if (i % 100 === 0) warm = make();
            check(await warm.turn());
          }
        }
        return make();
      };
      // The contender's conversation and, paired in this process (see pairedTimed), the raw client's.
      const pair = async (start, r) => {
        const conversations = new Map();
        for (const contender of new Set([adapter, raw])) conversations.set(contender, await conversationOf(() => start(contender)));
        return pairedTimed(adapter, raw, (contender) => conversations.get(contender).turn(), { warmup: 2, reps: r, check });
      };
      const turn = await pair((contender) => contender.conversation({ baseURL: `${origin}/hist/v1`, history: [...history] }), r);
      // Continued with previous_response_id: the warm-up turns send the history once, the timed ones only what is new.
      const continued = adapter.continuedConversation
        ? await pair((contender) => contender.continuedConversation({ baseURL: `${origin}/hist/v1`, history: [...history] }), continuedReps)
        : undefined;
      // The library's own work: a turn on a model that does nothing (rxjs-agents); the raw
      // client's unavoidable work: serializing the request body (raw).
      let own;
      if (adapter.ownWorkConversation) {
        const c = await conversationOf(() => adapter.ownWorkConversation({ history: [...history] }));
        own = await timed(() => c.turn(), { warmup: 2, reps: r * 2, check });
      } else if (adapter.serializeRequest) {
        own = await timed(() => adapter.serializeRequest({ history }), { warmup: n === points[0] ? firstWarmup : 2, reps: r * 2 });
      }
      return {
        msPerTurn: turn.value,
        ratio: turn.ratio,
        rawMsPerTurn: turn.rawValue,
        continuedMsPerTurn: continued?.value,
        continuedRatio: continued?.ratio,
        continuedRawMsPerTurn: continued?.rawValue,
        ownMs: own?.value,
        turnSamples: turn.samples,
        continuedSamples: continued?.samples,
      };
    });
    for (const point of timings.points) {
      const memory = await inFlight(adapter, {
        baseURL: `${origin}/slow/1000/-/v1`,
        count: runs[point.x] ?? runs.default,
        via,
        holdMs,
        extra: { history: makeHistory(point.x) },
      });
      point.heapPerRunKB = memory.heapPerRunKB;
    }
    return timings;
  },

  async report({ sizes: s, columns, results, raw, rx, chart }) {
    const xs = xsOf(columns, results, 'msPerTurn');
    const c = (col, m) => curveOf(results(col), m);
    const axis = { title: 'history items', log: true };
    const imgs = [
      await chart('history-turn', {
        title: 'Per-turn cost by history length',
        subtitle: 'one turn of a conversation, over the wire to the local server',
        x: axis,
        y: { title: 'ms per turn', log: true },
        series: pairedSeriesOf(columns, results, 'msPerTurn', 'rawMsPerTurn', { raw, rx }),
      }),
      await chart('history-continued', {
        title: 'Per-turn cost with previous_response_id',
        subtitle: 'the history is on the server: each request carries only what is new',
        x: axis,
        y: { title: 'ms per turn', log: true },
        series: pairedSeriesOf(columns, results, 'continuedMsPerTurn', 'continuedRawMsPerTurn', { raw, rx }),
      }),
      await chart('history-own-work', {
        title: "The library's own per-turn work vs. serializing the request",
        subtitle: 'rxjs-agents on a model that does nothing; raw: JSON.stringify of the request body',
        x: axis,
        y: { title: 'ms', log: true },
        series: [
          { label: 'rxjs-agents (own work, no model)', points: [...c(rx, 'ownMs')] },
          { label: 'raw openai (serializing the request)', dashed: true, points: [...c(raw, 'ownMs')] },
        ],
      }),
      await chart('history-heap', {
        title: 'Heap per in-flight run by history length',
        subtitle: 'runs in flight on slow streams, each with the whole history',
        x: axis,
        y: { title: 'KB per run', log: true },
        series: seriesOf(columns, results, 'heapPerRunKB'),
      }),
    ];
    const own = c(rx, 'ownMs');
    const ser = c(raw, 'ownMs');
    const growth = (curve, a, b) => curve.get(b) / curve.get(a);
    const rows = xs.map((x, i) => {
      const t = c(rx, 'ratio').get(x);
      const h = c(rx, 'heapPerRunKB').get(x) / c(raw, 'heapPerRunKB').get(x);
      // Own work must not grow faster than serializing: compare growth from the previous point.
      const prev = xs[i - 1];
      const grows = prev === undefined ? undefined : growth(own, prev, x) <= Math.max(1, growth(ser, prev, x)) * 1.2;
      return [
        count(x),
        fmt(c(rx, 'rawMsPerTurn').get(x), 2),
        fmt(c(rx, 'msPerTurn').get(x), 2),
        `${fmt(t)}×`,
        ratio(c(rx, 'msPerTurn').get(x), c(raw, 'msPerTurn').get(x)),
        fmt(ser.get(x), 3),
        fmt(own.get(x), 3),
        fmt(c(raw, 'heapPerRunKB').get(x), 0),
        fmt(c(rx, 'heapPerRunKB').get(x), 0),
        `${fmt(h)}×`,
        verdict(t <= 1.1 && h <= 1.15 && grows !== false),
      ];
    });
    // Continued: per-turn cost must not grow with the history (within 25% of the smallest point's) and stays within 1.10× raw.
    // Growth is taken beside the raw client, whose continued turn does the same work at every size (it sends one
    // message): the paired ratio at n over the paired ratio at the first point, so the machine's drift between points
    // (the raw turn itself moved by up to 2.6× between points on this VM) is not counted as the library's growth.
    const cRaw = c(raw, 'continuedMsPerTurn');
    const cRx = c(rx, 'continuedMsPerTurn');
    const cRatio = c(rx, 'continuedRatio');
    const first = xs.find((x) => cRx.has(x));
    const continuedRows = xs
      .filter((x) => cRx.has(x) && cRaw.has(x))
      .map((x) => {
        const t = cRatio.get(x);
        const growth = t / cRatio.get(first);
        return [
          count(x),
          fmt(c(rx, 'continuedRawMsPerTurn').get(x), 2),
          fmt(cRx.get(x), 2),
          `${fmt(t)}×`,
          ratio(cRx.get(x), cRaw.get(x)),
          `${fmt(cRx.get(x) / cRx.get(first))}×`,
          `${fmt(growth)}×`,
          verdict(t <= 1.1 && growth <= 1.25),
        ];
      });
    return [
      `## Curve: history length (${s.points.map(count).join(', ')} items)`,
      '',
      'A conversation whose history holds n items (user messages, function calls, their outputs, assistant messages, in the Responses shape). ' +
        'Per turn: rxjs-agents runs a new agent with a `MemorySession` holding the history; the raw client pushes onto its own array and sends it. ' +
        `Own work: rxjs-agents with a model that emits a fixed answer and reads nothing (everything but the HTTP client), against the raw client's JSON.stringify of the same request body. ` +
        'Heap: runs in flight at once, each with the whole history (500 runs at 100 items, 200, 20, then 4 at 100,000), as in the memory table, once the turns of every point are timed. ' +
        'Targets at every point: turn ≤ 1.10× raw, heap ≤ 1.15× raw, and own work grows no faster than serializing from one point to the next (within 20%). ' +
        pairedNote,
      '',
      ...imgs.flatMap((i) => [i, '']),
      ...table(
        ['items', 'raw ms/turn (beside rxjs-agents)', 'rxjs-agents ms/turn', '× raw', '× raw, separate processes', 'serialize ms', 'own work ms', 'raw KB/run', 'rxjs-agents KB/run', 'heap × raw', 'result'],
        rows,
      ),
      ...(continuedRows.length === 0
        ? []
        : [
            '',
            '### Continued with `previous_response_id`',
            '',
            "The same conversation with the history stored on the server: rxjs-agents' `OpenAIResponsesModel({ continuation: 'previous_response_id' })` " +
              '(one model for the conversation, a new agent and the `MemorySession` each turn), the raw client sending the new message and the previous response id. ' +
              `The two warm-up turns send the whole history; the timed turns only what is new. Target: per turn ≤ 1.10× raw, and no growth with the history: ` +
              `the paired ratio at most 1.25× the one at ${count(first)} items ("growth beside raw"; the raw client's continued turn does the same work at every size, ` +
              `so this takes out how the machine moved between points, which "ms/turn × at ${count(first)}" keeps). The own-work column above shows the same without any HTTP.`,
            '',
            ...table(
              ['items', 'raw ms/turn (beside rxjs-agents)', 'rxjs-agents ms/turn', '× raw', '× raw, separate processes', `ms/turn × at ${count(first)}`, 'growth beside raw', 'result'],
              continuedRows,
            ),
          ]),
    ];
  },
};
