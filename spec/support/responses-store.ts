import type { RequestRejection } from './request-checks.js';
import type { Json, WireStep } from './wire-step.js';

/** A response the server produced and stored (`store` not false, stream completed). */
interface StoredResponse {
  /** The whole input it answered: its chain's items, then its own request's. */
  readonly input: readonly Json[];
  readonly output: readonly Json[];
}

/**
 * What the test Responses server remembers, as the real one does: which output
 * item followed each reasoning item (the API rejects one without the other),
 * the stored responses that `previous_response_id` continues, and the items of
 * conversations (Conversations API). Responses cut off before `response.completed`
 * are never stored, and add nothing to their conversation.
 */
export class ResponsesStore {
  /** Reasoning item id → the id of the item that followed it in its output. */
  private readonly followers = new Map<string, string>();
  /** Item id → the reasoning item that came right before it in its output. */
  private readonly reasoningOf = new Map<string, string>();
  private readonly responses = new Map<string, StoredResponse>();
  private readonly storedItems = new Set<string>();
  /** Conversation id → its items, appended to by each completed response in it. */
  private readonly conversations = new Map<string, Json[]>();

  clear(): void {
    this.followers.clear();
    this.reasoningOf.clear();
    this.responses.clear();
    this.storedItems.clear();
    this.conversations.clear();
  }

  /** `POST /v1/conversations`: a new conversation, with its initial items. */
  createConversation(body: Json): Json {
    const id = `conv_${this.conversations.size + 1}`;
    this.conversations.set(id, Array.isArray(body?.items) ? [...body.items] : []);
    return { id, object: 'conversation', created_at: Math.floor(Date.now() / 1000), metadata: body?.metadata ?? {} };
  }

  /**
   * The whole input of a request: with `previous_response_id`, the stored chain
   * before its own items. A rejection when the previous response is unknown.
   */
  expand(body: Json): { input: Json[] } | RequestRejection {
    const own: Json[] = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : Array.isArray(body.input) ? body.input : [];
    const conversationId = typeof body.conversation === 'string' ? body.conversation : body.conversation?.id;
    if (conversationId != null) {
      if (body.previous_response_id != null) {
        return { status: 400, message: 'Mutually exclusive parameters: previous_response_id and conversation.', param: 'conversation' };
      }
      const items = this.conversations.get(conversationId);
      if (!items) return { status: 404, message: `Conversation with id '${conversationId}' not found.`, param: 'conversation' };
      return { input: [...items, ...own] };
    }
    const previousId = body.previous_response_id;
    if (previousId == null) return { input: own };
    const previous = this.responses.get(previousId);
    if (!previous) return { status: 400, message: `Previous response with id '${previousId}' not found.`, param: 'previous_response_id' };
    return { input: [...previous.input, ...previous.output, ...own] };
  }

  /**
   * Learns from a response the server wrote: the order of its output items, and,
   * when it was written whole, completed, and `store` was not false, the response itself.
   */
  learn(body: Json, input: readonly Json[], steps: readonly WireStep[], whole: boolean): void {
    const output: Json[] = [];
    let completed: Json;
    for (const step of steps) {
      if (step.kind !== 'send') continue;
      const event = frameData(step.frame);
      if (event?.type === 'response.output_item.done') output[event.output_index ?? output.length] = event.item;
      if (event?.type === 'response.completed') completed = event.response;
    }
    const items = output.filter(Boolean);
    items.forEach((item, i) => {
      const next = items[i + 1];
      if (item.type === 'reasoning' && next?.id) {
        this.followers.set(item.id, next.id);
        this.reasoningOf.set(next.id, item.id);
      }
    });
    if (whole && completed && body.store !== false) {
      this.responses.set(completed.id, { input, output: completed.output?.length ? completed.output : items });
      for (const item of items) if (item.id) this.storedItems.add(item.id);
      // A conversation gains the request's own items and the output, once the response completed.
      const conversation = this.conversations.get(typeof body.conversation === 'string' ? body.conversation : body.conversation?.id);
      const own = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : Array.isArray(body.input) ? body.input : [];
      conversation?.push(...own, ...items);
    }
  }

  /**
   * The rules the real API enforces on reasoning in the input: with `store: false`
   * a reasoning item needs its `encrypted_content`, with `store: true` it must be
   * stored; it must be followed by the item that followed it; an item that came
   * after a reasoning item must come after it again.
   */
  check(body: Json, input: readonly Json[]): RequestRejection | undefined {
    for (let i = 0; i < input.length; i++) {
      const item = input[i];
      if (item?.type === 'reasoning') {
        if (body.store === false && !item.encrypted_content) {
          return {
            status: 404,
            message: `Item with id '${item.id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
            param: 'input',
          };
        }
        if (body.store !== false && !item.encrypted_content && !this.storedItems.has(item.id)) {
          return { status: 404, message: `Item with id '${item.id}' not found.`, param: 'input' };
        }
        const follower = this.followers.get(item.id);
        if (follower !== undefined && input[i + 1]?.id !== follower) {
          return { status: 400, message: `Item '${item.id}' of type 'reasoning' was provided without its required following item.`, param: 'input' };
        }
      }
      const reasoning = item?.id === undefined ? undefined : this.reasoningOf.get(item.id);
      if (reasoning !== undefined && input[i - 1]?.id !== reasoning) {
        return {
          status: 400,
          message: `Item '${item.id}' of type '${item.type}' was provided without its required 'reasoning' item: '${reasoning}'.`,
          param: 'input',
        };
      }
    }
    return undefined;
  }
}

function frameData(frame: string): Json {
  const data = frame
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  if (data === '') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
