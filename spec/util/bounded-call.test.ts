import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { BoundedCallFailure, boundedCall } from '../../lib/util/bounded-call.js';

describe('boundedCall', () => {
  it('an answer already there settles with no timer scheduled', async () => {
    const scheduler = new VirtualTimeScheduler();
    await expect(boundedCall(() => Promise.resolve(42), 1000, scheduler)).resolves.toBe(42);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('a call that does not answer in time fails with a timeout; a late answer changes nothing', async () => {
    const scheduler = new VirtualTimeScheduler();
    let answer!: (value: number) => void;
    const call = boundedCall(() => new Promise<number>((resolve) => (answer = resolve)), 1000, scheduler);
    await Promise.resolve();
    await Promise.resolve();
    expect(scheduler.actions).toHaveLength(1);
    scheduler.flush();
    await expect(call).rejects.toEqual(new BoundedCallFailure('timeout', undefined));
    answer(1);
  });

  it('an answer before the deadline clears the timer; a throw and a rejection are failures of their kind', async () => {
    const scheduler = new VirtualTimeScheduler();
    let answer!: (value: string) => void;
    const call = boundedCall(() => new Promise<string>((resolve) => (answer = resolve)), 1000, scheduler);
    await Promise.resolve();
    await Promise.resolve();
    answer('ok');
    await expect(call).resolves.toBe('ok');
    expect(scheduler.actions.filter((a) => !a.closed)).toHaveLength(0);
    const boom = new Error('boom');
    await expect(
      boundedCall(
        () => {
          throw boom;
        },
        1000,
        scheduler,
      ),
    ).rejects.toEqual(new BoundedCallFailure('threw', boom));
    await expect(boundedCall(() => Promise.reject(boom), 1000, scheduler)).rejects.toEqual(new BoundedCallFailure('rejected', boom));
  });
});
