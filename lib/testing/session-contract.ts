import type { InputItem } from '../items/input-item.js';
import type { Session } from '../session/session.js';

/** One check of the session contract: a name, and a function that rejects when the session breaks the contract. */
export interface SessionContractCase {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/** How the contract makes sessions. */
export interface SessionContractOptions {
  /**
   * Returns a session for conversation `id`; each test uses new ids, so stored
   * data of earlier tests does not matter.
   */
  readonly create: (id: string) => Session | Promise<Session>;
  /**
   * Set when two session objects made with the same id share one history (a
   * store, not memory): the contract then checks that they do.
   */
  readonly shared?: boolean;
  /** Called after each case with the sessions it made (close connections here). */
  readonly cleanup?: (sessions: readonly Session[]) => void | Promise<void>;
}

/** A session broke the contract. */
export class SessionContractViolation extends Error {
  override readonly name = 'SessionContractViolation';
}

const user = (text: string): InputItem => ({ role: 'user', content: text });
const call = (id: string): InputItem => ({ type: 'function_call', call_id: id, name: 'lookup', arguments: '{"q":"ünïcødé ✓"}' });
const output = (id: string): InputItem => ({ type: 'function_call_output', call_id: id, output: 'line 1\nline 2 "quoted"' });
const assistant = (text: string): InputItem => ({
  type: 'message',
  role: 'assistant',
  id: 'msg_1',
  status: 'completed',
  content: [{ type: 'output_text', text, annotations: [] }],
});

/**
 * The behaviour every {@link Session} must have for runs to rely on it, as a list
 * of cases any test runner can run. Both built-in sessions pass it; run it
 * against yours:
 *
 * @example
 * import { sessionContract } from 'rxjs-agents/testing';
 * describe('MySession', () => {
 *   for (const c of sessionContract({ create: (id) => new MySession(id) })) it(c.name, c.run);
 * });
 */
export function sessionContract(options: SessionContractOptions): SessionContractCase[] {
  let counter = 0;
  const prefix = `contract-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const test = (name: string, body: (make: (id?: string) => Promise<Session>) => Promise<void>): SessionContractCase => ({
    name,
    run: async () => {
      const made: Session[] = [];
      const ids = new Map<string, string>();
      const make = async (id = 'a') => {
        if (!ids.has(id)) ids.set(id, `${prefix}-${++counter}`);
        const session = await options.create(ids.get(id)!);
        made.push(session);
        return session;
      };
      try {
        await body(make);
      } finally {
        await options.cleanup?.(made);
      }
    },
  });

  const cases = [
    test('a new conversation is empty', async (make) => {
      equal(await (await make()).getItems(), [], 'getItems() of a new conversation');
    }),
    test('items come back as they were added, in order, equal in value', async (make) => {
      const session = await make();
      const items = [user('hello'), assistant('hi ✓'), call('c1'), output('c1'), { role: 'user', content: [{ type: 'input_text', text: '' }] } as InputItem];
      await session.addItems(items.slice(0, 2));
      await session.addItems(items.slice(2));
      equal(await session.getItems(), items, 'getItems() after two appends');
    }),
    test('appending nothing changes nothing', async (make) => {
      const session = await make();
      await session.addItems([user('one')]);
      await session.addItems([]);
      equal(await session.getItems(), [user('one')], 'getItems() after an empty append');
    }),
    test('clear() forgets the conversation, which can then start again', async (make) => {
      const session = await make();
      await session.addItems([user('one'), user('two')]);
      await session.clear();
      equal(await session.getItems(), [], 'getItems() after clear()');
      await session.addItems([user('three')]);
      equal(await session.getItems(), [user('three')], 'getItems() after clear() and an append');
    }),
    test('a read is a snapshot: later appends and changes to it do not alter it or the store', async (make) => {
      const session = await make();
      await session.addItems([user('one')]);
      const before = await session.getItems();
      await session.addItems([user('two')]);
      equal(before, [user('one')], 'an earlier read after a later append');
      (before as InputItem[]).length = 0;
      equal(await session.getItems(), [user('one'), user('two')], 'the store after the caller emptied a read');
    }),
    test('concurrent appends are each kept whole, contiguous, exactly once', async (make) => {
      const session = await make();
      const batches = Array.from({ length: 20 }, (_, b) => [user(`batch ${b} item 0`), user(`batch ${b} item 1`), user(`batch ${b} item 2`)]);
      await Promise.all(batches.map((batch) => session.addItems(batch)));
      const stored = (await session.getItems()).map((i) => (i as { content: string }).content);
      if (stored.length !== 60) throw new SessionContractViolation(`expected 60 items after 20 concurrent appends of 3, got ${stored.length}`);
      for (let i = 0; i < stored.length; i += 3) {
        const batch = stored[i]!.split(' item')[0];
        const whole = [0, 1, 2].every((k) => stored[i + k] === `${batch} item ${k}`);
        if (!whole) throw new SessionContractViolation(`a concurrent append was split or reordered at index ${i}: ${JSON.stringify(stored.slice(i, i + 3))}`);
      }
      if (new Set(stored).size !== 60) throw new SessionContractViolation('a concurrent append was stored twice');
    }),
    test('conversations with different ids are separate', async (make) => {
      const a = await make('a');
      const b = await make('b');
      await a.addItems([user('for a')]);
      equal(await b.getItems(), [], 'another conversation');
      await b.clear();
      equal(await a.getItems(), [user('for a')], 'a conversation after clearing another');
    }),
    test('a session keeps the id it was made with', async (make) => {
      const session = await make();
      if (session.id === undefined || session.id === '') throw new SessionContractViolation('session.id is empty');
    }),
  ];
  if (options.shared) {
    cases.push(
      test('sessions made with the same id share one history', async (make) => {
        const first = await make('a');
        await first.addItems([user('written by one')]);
        const second = await make('a');
        equal(await second.getItems(), [user('written by one')], 'a second session object on the same id');
        await second.addItems([user('written by the other')]);
        equal(await first.getItems(), [user('written by one'), user('written by the other')], 'the first session object');
      }),
    );
  }
  return cases;
}

function equal(actual: readonly unknown[], expected: readonly unknown[], what: string): void {
  if (!same(actual, expected)) {
    throw new SessionContractViolation(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** JSON equality, whatever the order of keys (a store may reorder them). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
