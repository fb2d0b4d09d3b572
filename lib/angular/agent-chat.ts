import { computed, DestroyRef, inject, signal, untracked, type Signal } from '@angular/core';
import { defer, type Observable, Subject } from 'rxjs';
import type { RunStatus } from '../events/run-status.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { RunInput } from '../items/input-item.js';
import { toTranscript } from '../operators/to-transcript.js';
import type { CancelRequest } from '../run/cancel-request.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';
import type { PendingApproval, Transcript, TranscriptMessage } from '../transcript/transcript.js';

/** The control streams a chat hands to each run it starts; pass them on to `run` or `remoteRun`. */
export interface ChatRunControls {
  readonly cancel$: Observable<CancelRequest>;
  readonly inject$: Observable<RunInput>;
  readonly approvals$: Observable<ToolApprovalDecision>;
}

/**
 * Starts one run of the chat for a message: a local `run(...)` (keep the
 * conversation with a `session`) or a `remoteRun(...)`. Called once per run.
 */
export type ChatRun<TOutput = string> = (input: string, controls: ChatRunControls) => Observable<StreamEvent<TOutput>>;

/**
 * What `send` does while a run is in flight: `queue` (default) runs the message
 * after it; `interrupt` cancels it and runs the message next; `steer` injects the
 * message into it (the model sees it at its next turn).
 */
export type SendPolicy = 'queue' | 'interrupt' | 'steer';

/** Options of {@link injectAgentChat}. */
export interface AgentChatOptions<TOutput = string> {
  readonly run: ChatRun<TOutput>;
  readonly whileRunning?: SendPolicy;
}

/** Where a chat is: `idle` before its first run, then the status of its latest run. */
export type ChatStatus = 'idle' | RunStatus;

/** A chat with an agent as signals, made by {@link injectAgentChat}. */
export interface AgentChat<TOutput = string> {
  /** The whole conversation, every run's messages in order (keys: `id`). */
  readonly messages: Signal<readonly TranscriptMessage[]>;
  readonly status: Signal<ChatStatus>;
  readonly isRunning: Signal<boolean>;
  /** The text of the answer being streamed; empty when none is. */
  readonly streamingText: Signal<string>;
  readonly pendingApprovals: Signal<readonly PendingApproval[]>;
  /** The latest run's error, if it failed. */
  readonly error: Signal<Error | undefined>;
  /** Messages sent while a run was in flight, waiting for their turn. */
  readonly queued: Signal<readonly string[]>;
  /** The latest run's full transcript (reason, usage, final output, agent in charge). */
  readonly transcript: Signal<Transcript<TOutput> | undefined>;
  /** Sends a message: starts a run, or follows the `whileRunning` policy. */
  send(text: string): void;
  /** Cancels the run in flight (it ends `cancelled`, its partial answer kept) and drops queued messages. */
  stop(reason?: string): void;
  /** Pushes input into the running run (its next turn sees it); with no run in flight, sends it. */
  inject(text: string): void;
  approve(callId: string): void;
  /** Rejects a tool call; `message` is passed on to the model. */
  reject(callId: string, message?: string): void;
}

interface ActiveRun {
  readonly cancel$: Subject<CancelRequest>;
  readonly inject$: Subject<RunInput>;
  readonly approvals$: Subject<ToolApprovalDecision>;
  readonly stop: () => void;
}

/**
 * A chat with an agent for an Angular component or service: signals to render,
 * methods to call. Runs are Observables underneath; the one in flight is
 * unsubscribed (so stopped, model stream and tools included) when the injection
 * context is destroyed. Works zoneless and with zone.js. Call it in an injection
 * context (a field initializer or constructor).
 *
 * @example
 * \@Component({
 *   selector: 'app-chat',
 *   template: `
 *     @for (m of chat.messages(); track m.id) { <p [class]="m.kind">{{ m.kind === 'tool' ? m.toolName : m.text }}</p> }
 *     @for (a of chat.pendingApprovals(); track a.callId) {
 *       <button (click)="chat.approve(a.callId)">Allow {{ a.toolName }}</button>
 *     }
 *     <input #box (keyup.enter)="chat.send(box.value); box.value = ''" />
 *     <button (click)="chat.stop()" [disabled]="!chat.isRunning()">Stop</button>`,
 * })
 * export class ChatComponent {
 *   private readonly session = new MemorySession('chat');
 *   readonly chat = injectAgentChat({
 *     run: (input, controls) => run(agent, input, { ...controls, session: this.session }),
 *   });
 * }
 */
export function injectAgentChat<TOutput = string>(options: AgentChatOptions<TOutput>): AgentChat<TOutput> {
  const policy = options.whileRunning ?? 'queue';
  const transcript = signal<Transcript<TOutput> | undefined>(undefined);
  const queued = signal<readonly string[]>([]);
  let active: ActiveRun | undefined;

  const start = (text: string): void => {
    const cancel$ = new Subject<CancelRequest>();
    const inject$ = new Subject<RunInput>();
    const approvals$ = new Subject<ToolApprovalDecision>();
    const run: ActiveRun = { cancel$, inject$, approvals$, stop: () => subscription.unsubscribe() };
    active = run;
    const subscription = defer(() => options.run(text, { cancel$, inject$, approvals$ }))
      .pipe(toTranscript<TOutput>({ input: text, messages: untracked(transcript)?.messages ?? [], approvals$ }))
      .subscribe({
        next: (t) => transcript.set(t),
        complete: () => {
          if (active !== run) return;
          active = undefined;
          const [next, ...rest] = untracked(queued);
          if (next === undefined) return;
          queued.set(rest);
          start(next);
        },
      });
  };

  inject(DestroyRef).onDestroy(() => {
    queued.set([]);
    const run = active;
    active = undefined;
    run?.stop();
  });

  const messages = computed(() => transcript()?.messages ?? []);
  const status = computed<ChatStatus>(() => transcript()?.status ?? 'idle');
  return {
    messages,
    status,
    isRunning: computed(() => status() === 'running'),
    streamingText: computed(() => {
      const last = messages().at(-1);
      return last?.kind === 'assistant' && last.status === 'streaming' ? last.text : '';
    }),
    pendingApprovals: computed(() => transcript()?.pendingApprovals ?? []),
    error: computed(() => transcript()?.error),
    queued: queued.asReadonly(),
    transcript: transcript.asReadonly(),
    send(text) {
      if (!active) return start(text);
      if (policy === 'steer') return active.inject$.next(text);
      if (policy === 'queue') return queued.update((q) => [...q, text]);
      queued.set([text]);
      active.cancel$.next('interrupted by a new message');
    },
    stop(reason = 'stopped by the user') {
      queued.set([]);
      active?.cancel$.next(reason);
    },
    inject(text) {
      if (active) active.inject$.next(text);
      else start(text);
    },
    approve(callId) {
      active?.approvals$.next({ callId, approved: true });
    },
    reject(callId, message) {
      active?.approvals$.next({ callId, approved: false, ...(message !== undefined ? { message } : {}) });
    },
  };
}
