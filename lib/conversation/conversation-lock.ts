import type { Observable } from 'rxjs';
import type { StreamEvent } from '../events/stream-event.js';
import type { InputItem } from '../items/input-item.js';

/**
 * What a run does when its conversation already has a run in flight (in this
 * process, or in another one sharing the store):
 * - `queue`: wait for the running one to end, then start (like `concatMap`);
 * - `reject`: fail at once with `ConversationBusyError` (like `exhaustMap`);
 * - `interrupt`: cancel the running one gracefully, then start (like `switchMap`);
 * - `steer`: deliver this input into the running run as injected input, and follow its events.
 */
export type OnBusy = 'queue' | 'reject' | 'interrupt' | 'steer';

/** A request from another run to the run holding the conversation. */
export type ConversationRequest =
  | { readonly type: 'inject'; readonly input: readonly InputItem[] }
  | { readonly type: 'cancel'; readonly reason: string };

/** The run holds the conversation until the claim is unsubscribed. */
export interface OwnerClaim {
  readonly role: 'owner';
  /** Requests other runs send to this one: steered input, interrupts. */
  readonly requests$: Observable<ConversationRequest>;
  /** Hands each of the run's events to the runs that steered into it. */
  publish(event: StreamEvent<unknown>): void;
}

/** The input went into the running run; these are that run's events from then to its end. */
export interface SteeredClaim {
  readonly role: 'steered';
  readonly events$: Observable<StreamEvent<unknown>>;
}

/** The outcome of claiming a conversation. */
export type ConversationClaim = OwnerClaim | SteeredClaim;

/**
 * Lets one run at a time hold a conversation. `MemorySession` and any session
 * without a `lock` get an in-process one; `RedisSession` brings one that works
 * across processes (a lease on Redis). Implement it for your own store.
 */
export interface ConversationLock {
  /**
   * Claims the conversation for a run with `input`, under `onBusy`. Emits one claim
   * (at once, or when the conversation is free); a `reject` on a busy conversation
   * errors with `ConversationBusyError`. An owner holds the conversation until it
   * unsubscribes; the lock may error later if it loses the conversation.
   */
  claim(onBusy: OnBusy, input: readonly InputItem[]): Observable<ConversationClaim>;
}
