import { Observable, Subscriber } from 'rxjs';
import { reserveFinalizers } from './reserve-finalizers.js';

/**
 * A step of a {@link sequence}: an Observable, or a function that makes one when
 * its turn comes (as `defer` does, without `defer`'s wrapper, which a run in
 * flight would hold for every step still to come), or an object that does (see
 * {@link StepSource}). A throw is an error.
 */
export type Step<T> = Observable<T> | (() => Observable<T>) | StepSource<T>;

/**
 * A step as an object: `step()` makes its Observable when its turn comes. With
 * `onError`, the step's error does not end the sequence (see {@link recovering}).
 * An object whose methods are steps holds what they share in its fields, where
 * a closure for each would hold a context too: every run in flight holds its steps.
 */
export interface StepSource<T> {
  step(): Observable<T>;
  onError?(error: unknown): void;
}

/** What gives a {@link loop} its steps after the first, one at a time. */
export interface StepsSource<T> {
  /** The step after the one that just completed, or none: the loop completes. */
  nextStep(): Step<T> | undefined;
}

/**
 * A step whose error is handed to `onError` (which may throw to error the
 * sequence after all); the sequence then goes on with the next step, as if the
 * step had completed. `catchError` without an operator layer in between.
 */
export function recovering<T>(step: Observable<T> | (() => Observable<T>), onError: (error: unknown) => void): StepSource<T> {
  return { step: typeof step === 'function' ? step : () => step, onError };
}

/**
 * RxJS `concat` for the run loop's spine: subscribes to each step when the one
 * before it completes, and errors or completes as `concat` does. Each step is
 * one small subscriber that carries what the sequence needs (no closures, buffer
 * or merge machinery as in `concat`): every run in flight holds several of these,
 * so they count in its heap. Steps that complete synchronously are taken in a
 * loop, not by recursion.
 */
export function sequence<T>(...steps: readonly Step<T>[]): Observable<T> {
  return new Observable<T>((subscriber) => subscribeFrom(subscriber, steps, undefined, 0));
}

/**
 * `first`, then, each time the current step completes, the step `next()` gives,
 * until it gives none: a {@link sequence} of steps decided as it goes. Each step
 * is subscribed at the same level, not inside the one before (as a step that
 * ends with the next would be): the values of the hundredth step pass through
 * one step's subscriber, not a hundred, and finished steps are not held.
 */
export function loop<T>(first: Step<T>, next: StepsSource<T>): Observable<T> {
  return new Observable<T>((subscriber) => subscribeFrom(subscriber, [first], next, 0));
}

/**
 * Subscribes steps from `index` on, for as long as they complete synchronously:
 * `steps`, then (for a loop) those `more` gives, asked once each. Arrays and objects
 * rather than a closure per sequence: every run in flight holds several.
 */
function subscribeFrom<T>(destination: Subscriber<T>, steps: readonly Step<T>[], more: StepsSource<T> | undefined, index: number): void {
  for (; ; index++) {
    if (destination.closed) return;
    let step: Step<T> | undefined;
    try {
      step = index < steps.length ? steps[index] : more?.nextStep();
    } catch (error) {
      destination.error(error);
      return;
    }
    if (step === undefined) break;
    const stage = new Stage(destination, steps, more, index, step);
    try {
      const source = typeof step === 'function' ? step() : 'step' in step ? step.step() : step;
      source.subscribe(stage);
    } catch (error) {
      stage.error(error);
    }
    // Still running: it subscribes the next step when it completes.
    if (stage.state === running) {
      stage.state = async;
      return;
    }
    if (stage.state !== completed) return;
  }
  if (!destination.closed) destination.complete();
}

const running = 0;
const async = 1;
const completed = 2;
const stopped = 3;

/** One step's subscriber: values and errors go to the destination; completion moves on. */
class Stage<T> extends Subscriber<T> {
  /** `running` while its source is being subscribed; then `async`, `completed` (synchronously) or `stopped`. */
  state: number = running;

  constructor(
    destination: Subscriber<T>,
    private readonly steps: readonly Step<T>[],
    private readonly more: StepsSource<T> | undefined,
    private readonly index: number,
    private readonly step: Step<T>,
  ) {
    // A Subscriber destination adds this stage to its teardown: unsubscribing the sequence stops the stage.
    super(destination);
    // Its one finalizer: the subscription of its step.
    reserveFinalizers(this);
  }

  protected override _complete(): void {
    // Unsubscribing drops `destination`: keep it for the next step.
    const destination = this.destination as Subscriber<T>;
    this.unsubscribe();
    this.nextStep(destination);
  }

  protected override _error(error: unknown): void {
    const step = this.step;
    if (typeof step !== 'object' || !('onError' in step) || step.onError === undefined) {
      this.state = stopped;
      super._error(error);
      return;
    }
    const destination = this.destination as Subscriber<T>;
    this.unsubscribe();
    try {
      step.onError(error);
    } catch (thrown) {
      this.state = stopped;
      destination.error(thrown);
      return;
    }
    this.nextStep(destination);
  }

  /** Done: the loop takes the next step, or this stage subscribes it. */
  private nextStep(destination: Subscriber<T>): void {
    if (this.state === running) this.state = completed;
    else subscribeFrom(destination, this.steps, this.more, this.index + 1);
  }
}
