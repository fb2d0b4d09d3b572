import { firstValueFrom, NEVER, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Agent, type Model, type WireEvent } from '../../lib/index.js';
import { type LoggedEvent, MemoryRunRegistry, type RunControl, type RunRegistry, serveRuns } from '../../lib/server/index.js';
import { observedRegistry } from './observed-registry.js';
import { eventually, remoteRunSuite } from './remote-runs.suite.js';

remoteRunSuite('in-memory', () => new MemoryRunRegistry());

describe('MemoryRunRegistry', () => {
  const delta = (n: number): WireEvent => ({ type: 'text.delta', delta: `d${n}`, agent: 'A' });

  it('a reader misses nothing appended while its replay runs (from its own handler): every event once, in order', async () => {
    const registry = new MemoryRunRegistry();
    const owned = await registry.create({ id: 'r1', identity: 'me', agent: 'A' }, () => true);
    for (let n = 1; n <= 3; n++) owned.append(delta(n));
    const seen: LoggedEvent[] = [];
    const done = firstValueFrom(registry.events('r1').pipe(toArray()));
    registry.events('r1').subscribe((logged) => {
      seen.push(logged);
      // Appends from the handler of a replayed event, then of a live one.
      if (logged.id === '1') owned.append(delta(4));
      if (logged.id === '5') owned.append(delta(6));
    });
    owned.append(delta(5));
    await owned.end();
    expect(seen.map((l) => [l.id, l.event['delta']])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [String(n), `d${n}`]));
    expect((await done).map((l) => l.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    // A reader after the end replays the whole log and completes; one from an id replays what follows it.
    expect((await firstValueFrom(registry.events('r1').pipe(toArray()))).length).toBe(6);
    expect((await firstValueFrom(registry.events('r1', '4').pipe(toArray()))).map((l) => l.id)).toEqual(['5', '6']);
  });

  it('readers come and go from inside each other\'s handlers: each gets every event once, in order, and none after it left', async () => {
    const registry = new MemoryRunRegistry();
    const owned = await registry.create({ id: 'r2', identity: 'me', agent: 'A' }, () => true);
    const first: string[] = [];
    const second: string[] = [];
    const late: string[] = [];
    const completed: string[] = [];
    const leaving = registry.events('r2').subscribe({
      next: (logged) => {
        first.push(logged.id);
        // Leaves on the third event, from its own handler.
        if (logged.id === '3') leaving.unsubscribe();
      },
      complete: () => completed.push('first'),
    });
    registry.events('r2').subscribe({
      next: (logged) => {
        second.push(logged.id);
        // A reader that joins from another reader's handler, after event 2: it replays 1 and 2, then follows live.
        if (logged.id === '2') registry.events('r2').subscribe({ next: (l) => late.push(l.id), complete: () => completed.push('late') });
      },
      complete: () => completed.push('second'),
    });
    for (let n = 1; n <= 5; n++) owned.append(delta(n));
    await owned.end();
    expect(first).toEqual(['1', '2', '3']);
    expect(second).toEqual(['1', '2', '3', '4', '5']);
    expect(late).toEqual(['1', '2', '3', '4', '5']);
    expect(completed).toEqual(['second', 'late']);
  });
});

describe('serveRuns with a registry that throws', () => {
  it('a reader whose registry throws instead of answering an erroring Observable gets an error frame, and counts as detached again', async () => {
    let broken = false;
    const inner = new MemoryRunRegistry();
    const throwing: RunRegistry = {
      create: (record, receive) => inner.create(record, receive),
      find: (id) => inner.find(id),
      send: (id, control) => inner.send(id, control),
      events: (id, after) => {
        if (broken) throw new Error('the store is down');
        return inner.events(id, after);
      },
    };
    const { registry, delivered } = observedRegistry(throwing);
    const controls: RunControl['type'][] = [];
    delivered.subscribe((control) => controls.push(control.type));
    // A model that never answers: the run stays in flight while readers come and go.
    const silent: Model = { provider: 'test', modelName: 'silent', stream: () => NEVER };
    const handler = serveRuns({ agents: { silent: new Agent({ name: 'Silent', model: silent }) }, registry, detachedGraceMs: Infinity, onError: () => undefined });
    try {
      const started = await handler(new Request('http://x/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'silent', input: 'Hi' }) }));
      const id = started.headers.get('run-id')!;
      await started.body!.cancel();
      await eventually(() => controls.length === 2);
      broken = true;
      const again = await handler(new Request(`http://x/runs/${id}/events`));
      expect(await again.text()).toContain('event: error');
      await eventually(() => controls.length === 4);
      expect(controls).toEqual(['attached', 'detached', 'attached', 'detached']);
    } finally {
      await handler.close();
    }
  });
});
