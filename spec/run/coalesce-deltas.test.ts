import fc from 'fast-check';
import { firstValueFrom, Observable, Subject, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { Agent, coalesceDeltas, run, ScriptedModel, textDeltas, type StreamEvent } from '../../lib/index.js';
import { joinDeltas } from '../helpers/collect.js';

const text = (delta: string, agent = 'A'): StreamEvent => ({ type: 'text.delta', delta, agent });
const reasoning = (delta: string, agent = 'A'): StreamEvent => ({ type: 'reasoning.delta', delta, agent });
const handoff = (agent: string): StreamEvent => ({ type: 'agent.updated', agent });

/** Subscribes with `coalesceDeltas()` and feeds `bursts`, each in one synchronous pass, a macrotask apart. */
async function through(bursts: readonly (readonly StreamEvent[])[], end: 'complete' | 'error' = 'complete') {
  const source = new Subject<StreamEvent>();
  const out: StreamEvent[] = [];
  let error: unknown;
  let completed = false;
  source.pipe(coalesceDeltas()).subscribe({ next: (e) => out.push(e), error: (e: unknown) => (error = e), complete: () => (completed = true) });
  for (const [i, burst] of bursts.entries()) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 0));
    for (const event of burst) source.next(event);
  }
  if (end === 'complete') source.complete();
  else source.error(new Error('model failed'));
  return { out, error, completed };
}

describe('coalesceDeltas', () => {
  it('joins the deltas of one burst into one event, and keeps those of separate bursts apart', async () => {
    const { out } = await through([[text('Hel'), text('lo ')], [text('wor'), text('ld')]]);
    expect(out).toEqual([text('Hello '), text('world')]);
  });

  it('emits a burst when it ends, without waiting for the next one', async () => {
    const source = new Subject<StreamEvent>();
    const out: StreamEvent[] = [];
    source.pipe(coalesceDeltas()).subscribe((e) => out.push(e));
    source.next(text('a'));
    source.next(text('b'));
    expect(out).toEqual([]);
    await Promise.resolve();
    expect(out).toEqual([text('ab')]);
  });

  it('keeps the order of events: another event, another agent or the other kind of delta comes after what was held', async () => {
    const { out, completed } = await through([
      [text('a'), text('b'), handoff('B'), text('c', 'B'), text('d', 'B'), text('e', 'C'), reasoning('r'), reasoning('s'), text('f')],
    ]);
    expect(out).toEqual([text('ab'), handoff('B'), text('cd', 'B'), text('e', 'C'), reasoning('rs'), text('f')]);
    expect(completed).toBe(true);
  });

  it('hands a single delta on as it is', async () => {
    const single = text('only');
    const { out } = await through([[single]]);
    expect(out[0]).toBe(single);
  });

  it('delivers what it holds before the source errors', async () => {
    const { out, error } = await through([[text('par'), text('tial')]], 'error');
    expect(out).toEqual([text('partial')]);
    expect(error).toEqual(new Error('model failed'));
  });

  it('emits nothing after an unsubscribe, also one made while it delivers what it held', async () => {
    const source = new Subject<StreamEvent>();
    const out: StreamEvent[] = [];
    const subscription = source.pipe(coalesceDeltas()).subscribe((e) => {
      out.push(e);
      subscription.unsubscribe();
    });
    source.next(text('a'));
    source.next(handoff('B')); // flushes 'a', whose consumer unsubscribes: the handoff must not follow
    source.next(text('b'));
    await Promise.resolve();
    expect(out).toEqual([text('a')]);
    expect(source.observed).toBe(false);

    const later: StreamEvent[] = [];
    const second = source.pipe(coalesceDeltas()).subscribe((e) => later.push(e));
    source.next(text('held'));
    second.unsubscribe();
    await Promise.resolve();
    expect(later).toEqual([]);
  });

  it('reads a run: one delta per burst of the model, the same text and result', async () => {
    const agent = () => new Agent({ name: 'A', model: new ScriptedModel({ turns: [{ text: 'a b c' }] }) });
    expect(await firstValueFrom(run(agent(), 'hi').pipe(textDeltas(), toArray()))).toEqual(['a ', 'b ', 'c']);
    const events = await firstValueFrom(run(agent(), 'hi').pipe(coalesceDeltas(), toArray()));
    expect(events.filter((e) => e.type === 'text.delta')).toEqual([text('a b c')]);
    expect(events.at(-1)).toMatchObject({ type: 'run.updated', status: 'completed', result: { finalOutput: 'a b c' } });
  });

  it('gives each burst with its adjacent deltas joined, whatever the events and bursts (property)', async () => {
    const event = fc.oneof(
      fc.tuple(fc.constantFrom('a', 'bc', 'é', ''), fc.constantFrom('A', 'B')).map(([d, a]) => text(d, a)),
      fc.tuple(fc.constantFrom('r', 'st'), fc.constantFrom('A', 'B')).map(([d, a]) => reasoning(d, a)),
      fc.constantFrom('A', 'B').map(handoff),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { maxLength: 8 }), { maxLength: 6 }), fc.constantFrom('complete' as const, 'error' as const), async (bursts, end) => {
        const { out, error, completed } = await through(bursts, end);
        expect(out).toEqual(bursts.flatMap((burst) => joinDeltas(burst)));
        expect(end === 'complete' ? completed : error instanceof Error).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps order and kinds when its consumer makes the source emit while it hands a delta on', async () => {
    const source = new Subject<StreamEvent>();
    const out: StreamEvent[] = [];
    let reentered = false;
    source.pipe(coalesceDeltas()).subscribe((e) => {
      out.push(e);
      if (!reentered) {
        reentered = true;
        source.next(text('b')); // while 'a' is handed on, before the reasoning that flushed it is held
      }
    });
    source.next(text('a'));
    source.next(reasoning('r'));
    await Promise.resolve();
    expect(out).toEqual([text('a'), text('b'), reasoning('r')]);

  });

  it("joins only adjacent deltas: the provider's raw chunks between them keep them apart", async () => {
    const raw = (n: number): StreamEvent => ({ type: 'model.event', event: { n } }) as StreamEvent;
    const { out } = await through([[raw(1), text('a'), raw(2), text('b'), text('c')]]);
    expect(out).toEqual([raw(1), text('a'), raw(2), text('bc')]);
  });

  it('ends a burst with the frame in virtual time', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const values = { a: text('a'), b: text('b'), c: text('c'), d: text('d'), j: text('bc') };
      expectObservable(cold<StreamEvent>('a 9ms (bc) 9ms d|', values).pipe(coalesceDeltas())).toBe('a 9ms j 12ms d|', values);
    });
  });

  it('needs no Subject: a synchronous source ends with what it held', () => {
    const out: StreamEvent[] = [];
    new Observable<StreamEvent>((subscriber) => {
      subscriber.next(text('x'));
      subscriber.next(text('y'));
      subscriber.complete();
    })
      .pipe(coalesceDeltas())
      .subscribe((e) => out.push(e));
    expect(out).toEqual([text('xy')]);
  });
});
