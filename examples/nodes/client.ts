// A client of two nodes, as a load balancer would spread its requests: the run starts on the
// first node, the client leaves it and comes back through the second, says more and stops it there.
//
//   npx tsx examples/nodes/client.ts http://127.0.0.1:3001/api http://127.0.0.1:3002/api
import { skip, Subject, tap } from 'rxjs';
import { remoteRun } from '../../lib/client/index.js';
import { printEvent } from '../print-events.js';

const [first = 'http://127.0.0.1:3001/api', second = 'http://127.0.0.1:3002/api'] = process.argv.slice(2);

// 1. Start on the first node; leave after a few words (the run goes on there).
let runId = '';
let seen = 0;
let words = 0;
const leave$ = new Subject<void>();
await new Promise<void>((done, fail) =>
  remoteRun({ url: first, agent: 'assistant', input: 'Tell me about Paris.', detach$: leave$, onRunId: (id) => (runId = id) })
    .pipe(
      tap(printEvent),
      tap((event) => (seen++, event.type === 'text.delta' && ++words === 6 && leave$.next())),
    )
    .subscribe({ error: fail, complete: done }),
);
console.log(`\n[left run ${runId} on ${first}; it goes on there]`);

// 2. Come back through the second node: it replays the run's log (the part seen is skipped here)
//    and goes on live. Say more there (it joins the run's next turn on the first node), then
//    stop the run there a few words into the answer.
const say$ = new Subject<string>();
const stop$ = new Subject<string>();
let afterInjection = -1;
console.log(`[attached through ${second}]`);
await new Promise<void>((done, fail) =>
  remoteRun({ url: second, runId, cancel$: stop$, inject$: say$ })
    .pipe(
      skip(seen),
      tap((event) => {
        if (event.type === 'text.delta' && ++words === 12) say$.next('And its bridges?');
        if (event.type === 'item.created' && event.item.type === 'injected_input') afterInjection = 0;
        if (event.type === 'text.delta' && afterInjection >= 0 && ++afterInjection === 8) stop$.next('stopped from the second node');
      }),
    )
    .subscribe({ next: printEvent, error: fail, complete: done }),
);
