import fc from 'fast-check';
import { Subscriber, Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { reserveFinalizers } from '../../lib/util/reserve-finalizers.js';

describe('reserveFinalizers: a finalizer list made to size', () => {
  it('keeps rxjs’s behaviour: whatever is added and not removed runs once, in order, at unsubscribe; added after, at once', () => {
    fc.assert(
      fc.property(fc.constantFrom<1 | 2>(1, 2), fc.array(fc.oneof(fc.constant('add'), fc.nat(7)), { maxLength: 20 }), (slots, script) => {
        const reserved = new Subscriber<never>();
        reserveFinalizers(reserved, slots);
        const plain = new Subscriber<never>();
        const logs = { reserved: [] as string[], plain: [] as string[] };
        const added: { reserved: Subscription[]; plain: Subscription[] } = { reserved: [], plain: [] };
        let n = 0;
        for (const op of script) {
          if (op === 'add') {
            const name = `f${n++}`;
            for (const which of ['reserved', 'plain'] as const) {
              const child = new Subscription(() => logs[which].push(name));
              added[which].push(child);
              (which === 'reserved' ? reserved : plain).add(child);
            }
          } else {
            // A child that ends by itself leaves its parent's list (rxjs's `remove`).
            added.reserved[op]?.unsubscribe();
            added.plain[op]?.unsubscribe();
          }
        }
        reserved.unsubscribe();
        plain.unsubscribe();
        expect(logs.reserved).toEqual(logs.plain);
        reserved.add(() => logs.reserved.push('late'));
        expect(logs.reserved.at(-1)).toBe('late');
      }),
    );
  });

  it('leaves a list rxjs already made alone', () => {
    const subscription = new Subscription();
    const order: number[] = [];
    subscription.add(() => order.push(1));
    reserveFinalizers(subscription);
    subscription.add(() => order.push(2));
    subscription.unsubscribe();
    expect(order).toEqual([1, 2]);
  });
});
