import { asyncScheduler, concat, concatMap, concatWith, from, map, NEVER, Observable, of, type SchedulerLike, throwError, timer } from 'rxjs';
import { ModelError } from '../../errors/agents-error.js';
import type { InputItem, OutputItem } from '../../items/input-item.js';
import type { Model, ModelEvent, ModelRequest } from '../../model/model.js';
import type { Usage } from '../../model/usage.js';

/** A tool call a scripted turn makes. */
export interface ScriptedToolCall {
  readonly name: string;
  /** An object (sent as JSON) or the raw argument text, to script malformed arguments. */
  readonly arguments?: unknown;
  readonly callId?: string;
}

/** One scripted model response. */
export interface ScriptedTurn {
  /** The answer: one string (streamed word by word) or the exact chunks. */
  readonly text?: string | readonly string[];
  readonly toolCalls?: readonly ScriptedToolCall[];
  /** A reasoning summary, emitted as a reasoning item first. */
  readonly reasoning?: string;
  /** A refusal instead of an answer. */
  readonly refusal?: string;
  /** Usage to report; estimated from text length when omitted. */
  readonly usage?: Partial<Usage>;
  /** Delay before each chunk and tool call, overriding the model's `delayMs`. */
  readonly delayMs?: number;
  /** Fail the stream with this message after the text chunks (the message never completes). */
  readonly fail?: string;
  /** Stop after the text chunks and never finish: a stream in flight, for cancellation tests. */
  readonly hang?: boolean;
}

/** A turn, or a function of the request (and the 0-based call number) that makes one. */
export type ScriptedStep = ScriptedTurn | ((request: ModelRequest, call: number) => ScriptedTurn);

/** Options of {@link ScriptedModel}. */
export interface ScriptedModelOptions {
  /** Responses in order, one per model call; or one function for every call. */
  readonly turns: readonly ScriptedStep[] | ((request: ModelRequest, call: number) => ScriptedTurn);
  /** Delay before each chunk, on `scheduler`. Default 0: the stream is synchronous. */
  readonly delayMs?: number;
  /** Scheduler for delays; a `TestScheduler` gives virtual time. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Model name reported in events and traces. Default `scripted`. */
  readonly modelName?: string;
}

/**
 * A deterministic offline model that plays scripted turns: text in chunks, tool
 * calls, reasoning, refusals, faults, optional delays on an RxJS scheduler. It
 * records every request and counts the streams open at any moment.
 *
 * @example
 * const model = new ScriptedModel({ turns: [
 *   { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
 *   { text: 'Sunny in Paris.' },
 * ] });
 */
export class ScriptedModel implements Model {
  readonly provider = 'scripted';
  readonly modelName: string;
  /** Every request received, in order. */
  readonly requests: ModelRequest[] = [];
  private open = 0;

  constructor(private readonly options: ScriptedModelOptions) {
    this.modelName = options.modelName ?? 'scripted';
  }

  /** Streams subscribed and not yet finished or unsubscribed. */
  get openStreams(): number {
    return this.open;
  }

  stream(request: ModelRequest): Observable<ModelEvent> {
    return new Observable<ModelEvent>((subscriber) => {
      const call = this.requests.length;
      this.requests.push(request);
      const turn = this.turnFor(request, call);
      this.open++;
      const subscription = this.play(turn, request, call).subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        this.open--;
      };
    });
  }

  /** Usage estimated from lengths: a token per four characters of the input's JSON and of the answer. */
  private estimateUsage(request: ModelRequest, text: string): Partial<Usage> {
    const inputTokens = Math.ceil(this.inputChars(request.input) / 4);
    const outputTokens = Math.ceil(text.length / 4);
    return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  }

  /** The previous input measured, and its JSON length. */
  private measured: { readonly input: readonly InputItem[]; readonly chars: number } | undefined;

  /**
   * The length of the input as JSON. An input that continues the previous one (the
   * same first and last items, more after) only has its new items measured: a
   * conversation's turns would otherwise cost a serialization of the whole history
   * each, which no real model pays on the client and which would skew measurements.
   */
  private inputChars(input: readonly InputItem[]): number {
    const last = this.measured;
    const n = last?.input.length ?? 0;
    const continues = last !== undefined && n > 0 && input.length >= n && input[0] === last.input[0] && input[n - 1] === last.input[n - 1];
    // '[' and ']', then each item and the commas between them.
    let chars = continues ? last.chars : 2;
    for (let i = continues ? n : 0; i < input.length; i++) chars += JSON.stringify(input[i]).length + (i > 0 ? 1 : 0);
    this.measured = { input, chars };
    return chars;
  }

  private turnFor(request: ModelRequest, call: number): ScriptedTurn {
    const { turns } = this.options;
    if (typeof turns === 'function') return turns(request, call);
    const step = turns[call];
    if (step === undefined) {
      throw new ModelError(`ScriptedModel: no scripted turn left (call ${call + 1}, ${turns.length} scripted).`);
    }
    return typeof step === 'function' ? step(request, call) : step;
  }

  private play(turn: ScriptedTurn, request: ModelRequest, call: number): Observable<ModelEvent> {
    const n = call + 1;
    // Each event with whether it waits `delayMs` first (chunks and tool calls do).
    const steps: [ModelEvent, boolean][] = [[{ type: 'response.started', responseId: `resp_${n}`, model: this.modelName }, false]];
    if (turn.reasoning !== undefined) {
      const item: OutputItem = { type: 'reasoning', id: `rs_${n}`, summary: [{ type: 'summary_text', text: turn.reasoning }] };
      steps.push([{ type: 'item.done', item }, false]);
    }
    const chunks = typeof turn.text === 'string' ? (turn.text.match(/\s*\S+\s*/g) ?? [turn.text]) : (turn.text ?? []);
    for (const delta of chunks) steps.push([{ type: 'text.delta', delta }, true]);
    const text = chunks.join('');
    // A hang or a fault cuts the stream after the text chunks: the message never completes.
    if (turn.hang) return this.pace(steps, turn).pipe(concatWith(NEVER));
    if (turn.fail !== undefined) {
      return this.pace(steps, turn).pipe(concatWith(throwError(() => new ModelError(`ScriptedModel: ${turn.fail}`))));
    }
    if (turn.text !== undefined || turn.refusal !== undefined) {
      const content =
        turn.refusal !== undefined
          ? [{ type: 'refusal' as const, refusal: turn.refusal }]
          : [{ type: 'output_text' as const, text, annotations: [] }];
      steps.push([{ type: 'item.done', item: { type: 'message', role: 'assistant', id: `msg_${n}`, status: 'completed', content } }, false]);
    }
    (turn.toolCalls ?? []).forEach((c, i) => {
      const item: OutputItem = {
        type: 'function_call',
        id: `fc_${n}_${i + 1}`,
        call_id: c.callId ?? `call_${n}_${i + 1}`,
        name: c.name,
        arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}),
        status: 'completed',
      };
      steps.push([{ type: 'item.done', item }, true]);
    });

    const completed: ModelEvent = {
      type: 'response.completed',
      responseId: `resp_${n}`,
      model: this.modelName,
      usage: turn.usage ?? this.estimateUsage(request, text),
      finishReasons: [(turn.toolCalls?.length ?? 0) > 0 ? 'tool_calls' : 'stop'],
    };
    return concat(this.pace(steps, turn), of(completed));
  }

  private pace(steps: readonly [ModelEvent, boolean][], turn: ScriptedTurn): Observable<ModelEvent> {
    const delayMs = turn.delayMs ?? this.options.delayMs ?? 0;
    const scheduler = this.options.scheduler ?? asyncScheduler;
    return from(steps).pipe(
      concatMap(([event, paced]) => (paced && delayMs > 0 ? timer(delayMs, scheduler).pipe(map(() => event)) : of(event))),
    );
  }
}


