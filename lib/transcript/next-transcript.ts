import type { RunResult } from '../events/run-result.js';
import type { RunUpdatedEvent, StreamEvent } from '../events/stream-event.js';
import type { InputItem, RunInput } from '../items/input-item.js';
import type { RunItem } from '../items/run-item.js';
import type { ToolApprovalDecision } from '../tools/approval-desk.js';
import type { AssistantMessage, ReasoningMessage, ToolCallMessage, Transcript, TranscriptMessage } from './transcript.js';

/** The transcript before a run's first event: the earlier messages, then the run's input. */
export function startTranscript<T>(input: RunInput | undefined, earlier: readonly TranscriptMessage[] = []): Transcript<T> {
  const messages = [...earlier];
  for (const text of userTexts(input)) messages.push({ kind: 'user', id: nextId(messages), text });
  return { messages, status: 'running', pendingApprovals: [] };
}

/** The transcript after one more event of the run. A model retry is shown until the run moves on. */
export function nextTranscript<T>(t: Transcript<T>, event: StreamEvent<T>): Transcript<T> {
  const next = fold(t, event);
  if (!next.retry || event.type === 'model.retry' || event.type === 'model.event') return next;
  const { retry, ...rest } = next;
  return rest;
}

function fold<T>(t: Transcript<T>, event: StreamEvent<T>): Transcript<T> {
  switch (event.type) {
    case 'run.updated':
      return event.status === 'running' ? t : ended(t, event);
    case 'agent.updated':
      return { ...t, agent: event.agent };
    case 'text.delta':
    case 'reasoning.delta': {
      const kind = event.type === 'text.delta' ? 'assistant' : 'reasoning';
      const last = t.messages.at(-1);
      if (last?.kind === kind && last.status === 'streaming') return replaceLast(t, { ...last, text: last.text + event.delta });
      return append(t, { kind, agent: event.agent, text: event.delta, status: 'streaming' });
    }
    case 'item.created':
      return withItem(t, event.item);
    case 'tool.progress':
      return updateTool(t, event.callId, (m) => ({ ...m, progress: event.value, status: m.status === 'awaiting_approval' ? 'running' : m.status }));
    case 'tool.approval_requested': {
      const agent = toolAgent(t, event.callId) ?? t.agent ?? '';
      const approval = { callId: event.callId, toolName: event.toolName, arguments: event.arguments, agent };
      const asked = { ...t, pendingApprovals: [...t.pendingApprovals, approval] };
      return updateTool(asked, event.callId, (m) => ({ ...m, status: 'awaiting_approval', arguments: event.arguments }));
    }
    case 'turn.interrupted':
      return interrupted(t, event.discardedItems);
    case 'model.retry':
      return { ...t, retry: { attempt: event.attempt, delayMs: event.delayMs, reason: event.error.message } };
    case 'guardrail.result':
    case 'model.event':
      return t;
  }
}

/** The transcript once a human answered an approval: the call runs, or waits for its rejection to reach the model. */
export function decideApproval<T>(t: Transcript<T>, decision: ToolApprovalDecision): Transcript<T> {
  if (!t.pendingApprovals.some((a) => a.callId === decision.callId)) return t;
  const left = { ...t, pendingApprovals: t.pendingApprovals.filter((a) => a.callId !== decision.callId) };
  return updateTool(left, decision.callId, (m) =>
    decision.approved ? { ...m, status: 'running' } : { ...m, status: 'rejected', error: decision.message ?? 'rejected' },
  );
}

/** The transcript of a run that errored without a terminal event (a lost connection, a broken source). */
export function failTranscript<T>(t: Transcript<T>, error: unknown): Transcript<T> {
  if (t.status === 'failed') return t;
  return closeOpen({ ...t, status: 'failed', error: error instanceof Error ? error : new Error(String(error)), pendingApprovals: [] }, 'failed');
}

function withItem<T>(t: Transcript<T>, item: RunItem): Transcript<T> {
  switch (item.type) {
    case 'message_output': {
      const done: Omit<AssistantMessage, 'id'> = {
        kind: 'assistant',
        agent: item.agentName,
        text: item.text,
        status: 'completed',
        ...(item.refusal !== undefined ? { refusal: item.refusal } : {}),
      };
      const last = t.messages.at(-1);
      return last?.kind === 'assistant' && last.status === 'streaming' ? replaceLast(t, { ...done, id: last.id }) : append(t, done);
    }
    case 'reasoning': {
      // The item completes what streamed (its summary, when it has one, is the text to keep).
      const summary = item.rawItem.summary.map((s) => s.text).join('\n');
      const at = lastIndex(t.messages, (m) => m.kind === 'reasoning' && m.status === 'streaming');
      if (at < 0) return append(t, { kind: 'reasoning', agent: item.agentName, text: summary, status: 'completed' });
      const streamed = t.messages[at] as ReasoningMessage;
      return replaceAt(t, at, { ...streamed, text: summary || streamed.text, status: 'completed' });
    }
    case 'provider_item':
      return append(t, { kind: 'provider_item', agent: item.agentName, itemType: item.itemType });
    case 'tool_call':
      return append(t, {
        kind: 'tool',
        callId: item.rawItem.call_id,
        agent: item.agentName,
        toolName: item.rawItem.name,
        arguments: parseArguments(item.rawItem.arguments),
        status: 'running',
      });
    case 'tool_output': {
      const status = item.error ? (item.error.kind === 'cancelled' || item.error.kind === 'rejected' ? item.error.kind : 'failed') : 'completed';
      const settled = { ...t, pendingApprovals: t.pendingApprovals.filter((a) => a.callId !== item.rawItem.call_id) };
      return updateTool(settled, item.rawItem.call_id, (m) => {
        const { progress, ...rest } = m;
        const kept = progress === undefined ? rest : { ...rest, progress };
        return item.error ? { ...kept, status, error: item.rawItem.output } : { ...kept, status, output: item.output };
      });
    }
    case 'handoff': {
      // The transfer call becomes the handoff, where it stood.
      const at = toolIndex(t.messages, item.rawItem.call_id);
      const handoff = { kind: 'handoff' as const, from: item.agentName, to: item.targetAgent };
      return at < 0 ? append(t, handoff) : replaceAt(t, at, { ...handoff, id: t.messages[at]!.id });
    }
    case 'injected_input':
      return userTexts(item.rawItem).reduce<Transcript<T>>((acc, text) => append(acc, { kind: 'user', text, injected: true }), t);
  }
}

function ended<T>(t: Transcript<T>, event: RunUpdatedEvent<T>): Transcript<T> {
  const result: RunResult<T> | undefined = event.result;
  // A suspended run waits for its approvals (`resume` continues it): they stay pending.
  const suspended = event.status === 'suspended';
  let next: Transcript<T> = {
    ...t,
    status: event.status,
    pendingApprovals: suspended ? t.pendingApprovals : [],
    ...(event.reason !== undefined ? { reason: event.reason } : {}),
    ...(event.error ? { error: event.error } : {}),
    ...(result ? { usage: result.usage, agent: result.lastAgent } : {}),
    ...(result?.finalOutput !== undefined ? { finalOutput: result.finalOutput } : {}),
  };
  if (!suspended) next = closeOpen(next, event.status === 'failed' ? 'failed' : 'stopped');
  for (const text of userTexts(result?.unconsumedInput)) next = append(next, { kind: 'user', text, injected: true, unsent: true });
  return next;
}

/** Ends what was still open when the run ended: a streaming message, a call still running or waiting. */
function closeOpen<T>(t: Transcript<T>, how: 'stopped' | 'failed'): Transcript<T> {
  if (!t.messages.some(isOpen)) return t;
  const messages = t.messages.map((m): TranscriptMessage => {
    if (!isOpen(m)) return m;
    return m.kind === 'tool' ? { ...m, status: 'cancelled' } : { ...m, status: how };
  });
  return { ...t, messages };
}

function isOpen(m: TranscriptMessage): m is AssistantMessage | ReasoningMessage | ToolCallMessage {
  if (m.kind === 'tool') return m.status === 'running' || m.status === 'awaiting_approval';
  return (m.kind === 'assistant' || m.kind === 'reasoning') && m.status === 'streaming';
}

/** A restarted turn: what it streamed stays visible, marked as interrupted; its discarded calls never ran. */
function interrupted<T>(t: Transcript<T>, discarded: readonly RunItem[]): Transcript<T> {
  const calls = new Set(discarded.flatMap((i) => (i.type === 'tool_call' ? [i.rawItem.call_id] : [])));
  const texts = new Set(discarded.flatMap((i) => (i.type === 'message_output' ? [i.text] : [])));
  const messages = t.messages.map((m): TranscriptMessage => {
    if (m.kind === 'reasoning' && m.status === 'streaming') return { ...m, status: 'interrupted' };
    if (m.kind === 'assistant' && (m.status === 'streaming' || (m.status === 'completed' && texts.delete(m.text)))) return { ...m, status: 'interrupted' };
    if (m.kind === 'tool' && calls.has(m.callId)) return { ...m, status: 'cancelled', error: 'interrupted by injected input' };
    return m;
  });
  return { ...t, messages };
}

function append<T>(t: Transcript<T>, message: DistributiveOmit<TranscriptMessage, 'id'>): Transcript<T> {
  return { ...t, messages: [...t.messages, { ...message, id: nextId(t.messages) } as TranscriptMessage] };
}

function replaceLast<T>(t: Transcript<T>, message: TranscriptMessage): Transcript<T> {
  return replaceAt(t, t.messages.length - 1, message);
}

function replaceAt<T>(t: Transcript<T>, at: number, message: TranscriptMessage): Transcript<T> {
  const messages = [...t.messages];
  messages[at] = message;
  return { ...t, messages };
}

function updateTool<T>(t: Transcript<T>, callId: string, update: (m: ToolCallMessage) => ToolCallMessage): Transcript<T> {
  const at = toolIndex(t.messages, callId);
  return at < 0 ? t : replaceAt(t, at, update(t.messages[at] as ToolCallMessage));
}

function toolAgent<T>(t: Transcript<T>, callId: string): string | undefined {
  const m = t.messages[toolIndex(t.messages, callId)];
  return m?.kind === 'tool' ? m.agent : undefined;
}

function toolIndex(messages: readonly TranscriptMessage[], callId: string): number {
  return lastIndex(messages, (m) => m.kind === 'tool' && m.callId === callId);
}

function lastIndex(messages: readonly TranscriptMessage[], test: (m: TranscriptMessage) => boolean): number {
  for (let i = messages.length - 1; i >= 0; i--) if (test(messages[i]!)) return i;
  return -1;
}

/** Messages only ever get appended, so the position a message was added at is a key unique in the conversation. */
function nextId(messages: readonly TranscriptMessage[]): string {
  return `m${messages.length}`;
}

/** The user text of run input: a string, or the text of its user messages. */
function userTexts(input: RunInput | undefined): string[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [input];
  const items: readonly InputItem[] = Array.isArray(input) ? input : [input as InputItem];
  return items.flatMap((item) => {
    if (!('role' in item) || item.role !== 'user') return [];
    if (typeof item.content === 'string') return [item.content];
    return [item.content.flatMap((part) => (part.type === 'input_text' ? [part.text] : [])).join('')];
  });
}

function parseArguments(text: string): unknown {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return text;
  }
}


type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
