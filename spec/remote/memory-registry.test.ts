import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../lib/index.js';
import { type LoggedEvent, MemoryRunRegistry } from '../../lib/server/index.js';
import { remoteRunSuite } from './remote-runs.suite.js';

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
});
