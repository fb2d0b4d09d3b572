/**
 * Failures, typed and bounded: bad input refused at the door, a store that hangs
 * (the run fails with a SessionError within sessionTimeoutMs), an injection and a
 * cancel sent from inside an event handler, a tool whose output is too long or
 * cannot be rendered, a throwing onCancel, and an unsubscribed run whose late write
 * fails (reported through onError). Offline on ScriptedModel.
 *
 *   npx tsx examples/failures.ts
 */
import { lastValueFrom, Subject, tap } from 'rxjs';
import { z } from 'zod';
import { Agent, AgentsError, run, ScriptedModel, SessionError, tool, UserError, type Session } from '../lib/index.js';
import { printEvent } from './print-events.js';

const settle = (events$: ReturnType<typeof run>) =>
  lastValueFrom(events$.pipe(tap(printEvent))).catch((error: unknown) => {
    if (!(error instanceof AgentsError)) throw error;
    console.log(`\n→ ${error.name}: ${error.message}\n`);
  });

console.log('1. Input of the wrong shape is refused before any model call\n');
await settle(run(new Agent({ name: 'A', model: new ScriptedModel({ turns: [{ text: 'never' }] }) }), { role: 'robot' } as never));

console.log('2. A session whose writes never settle: the run fails, typed, within sessionTimeoutMs\n');
const stuck: Session = { getItems: async () => [], addItems: () => new Promise<void>(() => undefined), clear: async () => undefined };
await settle(run(new Agent({ name: 'A', model: new ScriptedModel({ turns: [{ text: 'Hello.' }] }) }), 'Hi', { session: stuck, sessionTimeoutMs: 100 }));

console.log('3. Input injected and a cancel sent from inside event handlers both take effect\n');
const inject$ = new Subject<string>();
const cancel$ = new Subject<string>();
const chatty = new Agent({ name: 'A', model: new ScriptedModel({ turns: [{ text: 'First answer.' }, { text: 'Second answer.' }] }) });
await settle(
  run(chatty, 'Hi', { inject$, cancel$ }).pipe(
    tap((event) => {
      // Sent while the first answer streams: it takes another turn.
      if (event.type === 'text.delta' && event.delta.startsWith('First')) inject$.next('And another thing.');
      if (event.type === 'text.delta' && event.delta.startsWith('Second')) cancel$.next('enough');
    }),
  ),
);

console.log('4. Tool output: cut to maxToolOutputChars; a Map cannot be rendered (a typed tool-call error)\n');
const huge = tool({ name: 'huge', description: 'a big result', parameters: z.object({}), execute: () => 'x'.repeat(10_000) });
const odd = tool({ name: 'odd', description: 'an odd result', parameters: z.object({}), execute: () => new Map([['a', 1]]) });
const tools = new Agent({
  name: 'A',
  tools: [huge, odd],
  model: new ScriptedModel({ turns: [{ toolCalls: [{ name: 'huge' }, { name: 'odd' }] }, { text: 'Done.' }] }),
});
await settle(run(tools, 'Go', { maxToolOutputChars: 40 }));

console.log('5. Unsubscribed: the rest of the history is still written; a failure goes to onError\n');
let writes = 0;
const flaky: Session = {
  getItems: async () => [],
  addItems: async () => {
    if (++writes > 1) throw new Error('disk full');
  },
  clear: async () => undefined,
};
const slow = tool({ name: 'slow', description: 'slow', parameters: z.object({}), execute: (_a, { signal }) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason))) });
const left = run(new Agent({ name: 'A', tools: [slow], model: new ScriptedModel({ turns: [{ toolCalls: [{ name: 'slow' }] }] }) }), 'Go', {
  session: flaky,
  onError: (error) => console.log(`onError → ${error instanceof SessionError ? 'SessionError' : error.name}: ${error.message}`),
}).subscribe();
await new Promise((resolve) => setTimeout(resolve, 20));
left.unsubscribe();
await new Promise((resolve) => setTimeout(resolve, 20));

console.log('\n6. A tool with a JSON schema instead of a zod object is refused when defined');
try {
  tool({ name: 'bad', description: 'bad', parameters: { type: 'object' } as never, execute: () => 1 });
} catch (error) {
  if (error instanceof UserError) console.log(`→ ${error.message}`);
}
