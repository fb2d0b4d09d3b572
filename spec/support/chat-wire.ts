import { argumentsText, chunksOf, piecesOf, type ServerTurn } from './server-script.js';
import { dataFrame, estimateTokens, type Json, type WireStep } from './wire-step.js';

/**
 * The Chat Completions streaming chunks for a scripted turn, in the shapes of the
 * `openai` package's `ChatCompletionChunk`: a role chunk, content or refusal
 * deltas, tool call deltas (the first with id and name, then argument pieces), a
 * finish chunk, the usage chunk (when `stream_options.include_usage`), `[DONE]`.
 * Reasoning has no Chat Completions form and is not sent.
 */
export function chatSteps(turn: ServerTurn, body: Json, n: number): WireStep[] {
  const steps: WireStep[] = [];
  const includeUsage = body.stream_options?.include_usage === true;
  const base = {
    id: `chatcmpl-${n}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: turn.model ?? body.model,
    service_tier: 'default',
    system_fingerprint: 'fp_test',
  };
  const chunk = (delta: Json, finish_reason: string | null = null, paced = false) =>
    steps.push({
      kind: 'send',
      frame: dataFrame({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }], ...(includeUsage ? { usage: null } : {}) }),
      paced,
    });

  chunk({ role: 'assistant', content: '', refusal: null });
  const text = chunksOf(turn.text);
  for (const content of text) chunk({ content }, null, true);
  const refusal = chunksOf(turn.refusal);
  for (const piece of refusal) chunk({ refusal: piece }, null, true);
  (turn.toolCalls ?? []).forEach((call, index) => {
    const id = call.callId ?? `call_${n}_${index + 1}`;
    chunk({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] });
    for (const piece of piecesOf(argumentsText(call), call.pieces ?? 3)) {
      chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null, true);
    }
  });

  const fault = turn.fault;
  switch (fault?.kind) {
    case 'drop':
    case 'hang':
      steps.push({ kind: fault.kind });
      return steps;
    case 'malformed':
      steps.push({ kind: 'send', frame: 'data: {"id": "chatcmpl-oops", "choices": [\n\n' });
      return steps;
    case 'failed':
    case 'error_event':
      steps.push({
        kind: 'send',
        frame: dataFrame({ error: { message: fault.message ?? 'The model failed.', type: 'server_error', param: null, code: fault.code ?? null } }),
      });
      return steps;
    case 'end':
      return steps;
    default:
  }

  const finish = fault?.kind === 'incomplete' ? 'length' : (turn.toolCalls?.length ?? 0) > 0 ? 'tool_calls' : 'stop';
  chunk({}, finish);
  if (includeUsage) {
    const input = turn.usage?.input ?? estimateTokens(body.messages);
    const output = turn.usage?.output ?? estimateTokens(text.join('') + refusal.join(''));
    steps.push({
      kind: 'send',
      frame: dataFrame({
        ...base,
        choices: [],
        usage: {
          prompt_tokens: input,
          completion_tokens: output,
          total_tokens: input + output,
          prompt_tokens_details: { cached_tokens: turn.usage?.cached ?? 0, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: turn.usage?.reasoning ?? 0,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
      }),
    });
  }
  steps.push({ kind: 'send', frame: dataFrame('[DONE]') });
  return steps;
}
