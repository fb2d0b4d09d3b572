import { defer, EMPTY, Observable, of, Subject, Subscriber, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { loop, recovering, sequence } from '../../lib/util/sequence.js';

/** Values, then 'complete' or the error's message. */
function play<T>(source$: Observable<T>): { log: unknown[]; unsubscribe: () => void } {
  const log: unknown[] = [];
  const subscription = source$.subscribe({ next: (v) => log.push(v), error: (e: Error) => log.push(`error: ${e.message}`), complete: () => log.push('complete') });
  return { log, unsubscribe: () => subscription.unsubscribe() };
}

describe('sequence: the run loop spine', () => {
  it('takes steps in order, functions made only when their turn comes, and completes', () => {
    const made: string[] = [];
    const a$ = new Subject<string>();
    const { log } = play(
      sequence<string>(
        () => (made.push('first'), a$),
        () => (made.push('second'), of('b')),
        of('c'),
      ),
    );
    expect(made).toEqual(['first']);
    a$.next('a');
    a$.complete();
    expect(made).toEqual(['first', 'second']);
    expect(log).toEqual(['a', 'b', 'c', 'complete']);
  });

  it('takes many synchronous steps in a loop, not by recursion', () => {
    const steps = Array.from({ length: 20_000 }, (_, i) => () => of(i));
    const { log } = play(sequence(...steps));
    expect(log).toHaveLength(20_001);
    expect(log.at(-1)).toBe('complete');
  });

  it('an error ends it, a throwing step is an error, and later steps are never made', () => {
    let later = 0;
    expect(play(sequence(of(1), throwError(() => new Error('boom')), () => (later++, of(2)))).log).toEqual([1, 'error: boom']);
    expect(
      play(
        sequence(
          of(1),
          () => {
            throw new Error('thrown');
          },
          () => (later++, of(2)),
        ),
      ).log,
    ).toEqual([1, 'error: thrown']);
    expect(later).toBe(0);
  });

  it('a recovering step hands its error (or throw) to onError and the sequence goes on; onError may throw to end it', () => {
    const seen: string[] = [];
    const onError = (e: unknown) => seen.push((e as Error).message);
    const async$ = new Subject<number>();
    const { log } = play(sequence<number | string>(recovering(async$, onError), recovering(() => { throw new Error('sync'); }, onError), of('after')));
    async$.next(1);
    async$.error(new Error('async'));
    expect(seen).toEqual(['async', 'sync']);
    expect(log).toEqual([1, 'after', 'complete']);
    const rethrown = play(sequence(recovering(throwError(() => new Error('a')), () => { throw new Error('b'); }), of('never')));
    expect(rethrown.log).toEqual(['error: b']);
  });

  it('unsubscribing stops the step in flight and makes no more', () => {
    let tornDown = 0;
    let later = 0;
    const { log, unsubscribe } = play(sequence(new Observable<number>(() => () => tornDown++), () => (later++, EMPTY)));
    unsubscribe();
    expect(tornDown).toBe(1);
    expect(later).toBe(0);
    expect(log).toEqual([]);
  });

  it('a subscriber that unsubscribes from a handler stops it there, even in a synchronous step', () => {
    let later = 0;
    const log: unknown[] = [];
    const subscriber: Subscriber<number> = new Subscriber<number>({
      next: (v) => {
        log.push(v);
        subscriber.unsubscribe();
      },
      error: () => {},
      complete: () => {},
    });
    sequence(of(1, 2), defer(() => (later++, of(3)))).subscribe(subscriber);
    expect(log).toEqual([1]);
    expect(later).toBe(0);
  });
});

describe('loop: steps decided as it goes', () => {
  it('asks for the next step once each step completes, until there is none', () => {
    const steps$ = [new Subject<number>(), new Subject<number>()];
    let asked = 0;
    const { log } = play(loop<number>(steps$[0]!, { nextStep: () => steps$[++asked] }));
    expect(asked).toBe(0);
    steps$[0]!.next(1);
    steps$[0]!.complete();
    expect(asked).toBe(1);
    steps$[1]!.next(2);
    steps$[1]!.complete();
    expect(asked).toBe(2);
    expect(log).toEqual([1, 2, 'complete']);
  });

  it('holds only the step in flight: each step subscribes beside the one before, not inside it', () => {
    // How many subscribers stand between a step and the loop's subscriber: one for every step, as for sequence.
    const depths: number[] = [];
    let n = 0;
    const step = () =>
      new Observable<number>((subscriber) => {
        let depth = 0;
        for (let s: unknown = subscriber; s instanceof Subscriber; s = (s as unknown as { destination: unknown }).destination) depth++;
        depths.push(depth);
        subscriber.next(n);
        queueMicrotask(() => subscriber.complete());
      });
    const done = new Promise<unknown[]>((resolve) => {
      const log: unknown[] = [];
      loop(step, { nextStep: () => (++n < 50 ? step : undefined) }).subscribe({ next: (v) => log.push(v), complete: () => resolve(log) });
    });
    return done.then((log) => {
      expect(log).toHaveLength(50);
      expect(new Set(depths).size).toBe(1);
    });
  });

  it('takes many synchronous steps without recursion; a throwing next, or unsubscribing, ends it', () => {
    let n = 0;
    expect(play(loop(of(0), { nextStep: () => (++n < 20_000 ? of(n) : undefined) })).log).toHaveLength(20_001);
    expect(
      play(
        loop(of(1), {
          nextStep: () => {
            throw new Error('no next');
          },
        }),
      ).log,
    ).toEqual([1, 'error: no next']);
    const pending$ = new Subject<number>();
    let asked = 0;
    const { log, unsubscribe } = play(loop<number>(pending$, { nextStep: () => (asked++, of(9)) }));
    unsubscribe();
    pending$.complete();
    expect(pending$.observed).toBe(false);
    expect(asked).toBe(0);
    expect(log).toEqual([]);
  });
});


describe('step objects: steps as methods of one object', () => {
  it('calls step() and onError() as methods (fields shared), and a loop asks nextStep() for the steps after the first', () => {
    class Phases {
      made: string[] = [];
      private phase = 0;
      step(): Observable<string> {
        this.made.push(`step ${this.phase}`);
        return this.phase === 1 ? throwError(() => new Error(`failed in ${this.phase}`)) : of(`value ${this.phase}`);
      }
      onError(error: unknown): void {
        this.made.push(`recovered: ${(error as Error).message}`);
      }
      nextStep(): Phases | undefined {
        return ++this.phase < 3 ? this : undefined;
      }
    }
    const phases = new Phases();
    expect(play(loop(phases, phases)).log).toEqual(['value 0', 'value 2', 'complete']);
    expect(phases.made).toEqual(['step 0', 'step 1', 'recovered: failed in 1', 'step 2']);
  });

  it('a step object without onError ends the sequence with its error', () => {
    const failing = { step: () => throwError(() => new Error('no recovery')) };
    expect(play(sequence(of(1), failing, of(2))).log).toEqual([1, 'error: no recovery']);
  });
});
