import { type Observable, Subject } from 'rxjs';
import type { InputItem } from '../items/input-item.js';

const nothing: readonly InputItem[] = [];

/** Input injected into a running run, held until the next model call takes it. */
export class InjectQueue {
  /** Made on first use: most runs never get injected input. */
  private pending: InputItem[] | undefined;
  /** Emits each time input arrives (interrupt mode restarts the model stream on it). Made on first use. */
  get arrived$(): Observable<void> {
    return (this.arrived ??= new Subject<void>());
  }
  private arrived: Subject<void> | undefined;

  /** Queues validated items. */
  push(items: readonly InputItem[]): void {
    (this.pending ??= []).push(...items);
    this.arrived?.next();
  }

  /** Takes everything waiting. */
  drain(): InputItem[] {
    const items = this.pending ?? [];
    this.pending = undefined;
    return items;
  }

  /** Takes the oldest item waiting, if any. */
  take(): InputItem | undefined {
    return this.pending?.shift();
  }

  /** What is waiting, without taking it. */
  peek(): readonly InputItem[] {
    return this.pending ?? nothing;
  }

  get size(): number {
    return this.pending?.length ?? 0;
  }
}
