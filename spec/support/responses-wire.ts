import { argumentsText, chunksOf, piecesOf, type ServerTurn } from './server-script.js';
import { estimateTokens, type Json, namedFrame, type WireStep } from './wire-step.js';

/**
 * The Responses API streaming events for a scripted turn, in the order and shapes
 * of the `openai` package's `ResponseStreamEvent` types: `response.created`,
 * `response.in_progress`, then per output item `response.output_item.added`, its
 * parts and deltas, `response.output_item.done`, then `response.completed`.
 */
export function responsesSteps(turn: ServerTurn, body: Json, n: number): WireStep[] {
  const steps: WireStep[] = [];
  let seq = 0;
  const emit = (type: string, fields: Record<string, unknown>, paced = false) =>
    steps.push({ kind: 'send', frame: namedFrame(type, { type, ...fields, sequence_number: seq++ }), paced });
  const id = `resp_${n}`;
  const output: Json[] = [];
  const response = (status: string, extra: Record<string, unknown> = {}) =>
    responseObject(id, status, turn.model ?? body.model, body, [...output], extra);

  emit('response.created', { response: response('in_progress') });
  emit('response.in_progress', { response: response('in_progress') });

  const reasoning = chunksOf(turn.reasoning);
  if (turn.reasoning !== undefined) {
    const output_index = output.length;
    const item_id = `rs_${n}`;
    const item = { id: item_id, type: 'reasoning', summary: [] as Json[], ...(turn.encryptedReasoning ? { encrypted_content: turn.encryptedReasoning } : {}) };
    emit('response.output_item.added', { output_index, item });
    const part = { type: 'summary_text', text: '' };
    emit('response.reasoning_summary_part.added', { item_id, output_index, summary_index: 0, part });
    for (const delta of reasoning) {
      emit('response.reasoning_summary_text.delta', { item_id, output_index, summary_index: 0, delta }, true);
    }
    const text = reasoning.join('');
    emit('response.reasoning_summary_text.done', { item_id, output_index, summary_index: 0, text });
    emit('response.reasoning_summary_part.done', { item_id, output_index, summary_index: 0, part: { type: 'summary_text', text } });
    const done = { ...item, summary: [{ type: 'summary_text', text }] };
    output.push(done);
    emit('response.output_item.done', { output_index, item: done });
  }

  const text = chunksOf(turn.text);
  const refusal = chunksOf(turn.refusal);
  // A message in progress is cut short by a fault; it completes otherwise.
  const contentFault = turn.fault && turn.fault.kind !== 'incomplete' && turn.fault.kind !== 'http';
  if (turn.text !== undefined || turn.refusal !== undefined) {
    const output_index = output.length;
    const item_id = `msg_${n}`;
    emit('response.output_item.added', { output_index, item: { id: item_id, type: 'message', status: 'in_progress', role: 'assistant', content: [] } });
    const content: Json[] = [];
    if (turn.text !== undefined) {
      const content_index = content.length;
      emit('response.content_part.added', { item_id, output_index, content_index, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
      for (const delta of text) emit('response.output_text.delta', { item_id, output_index, content_index, delta, logprobs: [] }, true);
      const full = text.join('');
      if (contentFault) return endWithFault(turn, steps, emit, response);
      emit('response.output_text.done', { item_id, output_index, content_index, text: full, logprobs: [] });
      const part = { type: 'output_text', text: full, annotations: [], logprobs: [] };
      emit('response.content_part.done', { item_id, output_index, content_index, part });
      content.push({ type: 'output_text', text: full, annotations: [] });
    }
    if (turn.refusal !== undefined) {
      const content_index = content.length;
      emit('response.content_part.added', { item_id, output_index, content_index, part: { type: 'refusal', refusal: '' } });
      for (const delta of refusal) emit('response.refusal.delta', { item_id, output_index, content_index, delta }, true);
      const full = refusal.join('');
      emit('response.refusal.done', { item_id, output_index, content_index, refusal: full });
      emit('response.content_part.done', { item_id, output_index, content_index, part: { type: 'refusal', refusal: full } });
      content.push({ type: 'refusal', refusal: full });
    }
    const done = { id: item_id, type: 'message', status: 'completed', role: 'assistant', content };
    output.push(done);
    emit('response.output_item.done', { output_index, item: done });
  }

  (turn.toolCalls ?? []).forEach((call, i) => {
    const output_index = output.length;
    const item_id = `fc_${n}_${i + 1}`;
    const base = { id: item_id, type: 'function_call', call_id: call.callId ?? `call_${n}_${i + 1}`, name: call.name };
    emit('response.output_item.added', { output_index, item: { ...base, arguments: '', status: 'in_progress' } });
    const args = argumentsText(call);
    for (const delta of piecesOf(args, call.pieces ?? 3)) {
      emit('response.function_call_arguments.delta', { item_id, output_index, delta }, true);
    }
    emit('response.function_call_arguments.done', { item_id, output_index, name: call.name, arguments: args });
    const done = { ...base, arguments: args, status: 'completed' };
    output.push(done);
    emit('response.output_item.done', { output_index, item: done });
  });

  if (turn.fault) return endWithFault(turn, steps, emit, response);
  const usage = responsesUsage(turn, body, text.join('') + refusal.join(''));
  emit('response.completed', { response: response('completed', { usage }) });
  return steps;
}

/** Ends a turn with its fault: a failure event, bad data, a dropped socket, a hang, or just the end. */
function endWithFault(
  turn: ServerTurn,
  steps: WireStep[],
  emit: (type: string, fields: Record<string, unknown>) => void,
  response: (status: string, extra?: Record<string, unknown>) => Json,
): WireStep[] {
  const fault = turn.fault!;
  switch (fault.kind) {
    case 'drop':
    case 'hang':
      steps.push({ kind: fault.kind });
      break;
    case 'malformed':
      steps.push({ kind: 'send', frame: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta": oops\n\n' });
      break;
    case 'failed':
      emit('response.failed', {
        response: response('failed', { error: { code: fault.code ?? 'server_error', message: fault.message ?? 'The model failed.' } }),
      });
      break;
    case 'error_event':
      emit('error', { code: fault.code ?? 'server_error', message: fault.message ?? 'Something went wrong.', param: null });
      break;
    case 'incomplete':
      emit('response.incomplete', { response: response('incomplete', { incomplete_details: { reason: fault.reason ?? 'max_output_tokens' } }) });
      break;
    case 'end':
    case 'http':
      break;
  }
  return steps;
}

function responsesUsage(turn: ServerTurn, body: Json, text: string): Json {
  const input = turn.usage?.input ?? estimateTokens(body.input);
  const output = turn.usage?.output ?? estimateTokens(text);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: turn.usage?.cached ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: turn.usage?.reasoning ?? 0 },
    total_tokens: input + output,
  };
}

function responseObject(id: string, status: string, model: string, body: Json, output: Json[], extra: Record<string, unknown>): Json {
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: {},
    model,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: null,
    user: null,
    ...extra,
  };
}
