/**
 * An agent used as a tool: its nested run's events stream as the tool's progress,
 * and unsubscribing the outer run tears the nested run down. Offline on ScriptedModel.
 *
 *   npx tsx examples/agent-as-tool.ts
 */
import { lastValueFrom, tap } from 'rxjs';
import { Agent, run, ScriptedModel, type StreamEvent } from '../lib/index.js';

const translator = new Agent({
  name: 'Translator',
  instructions: 'Translate the input to French.',
  model: new ScriptedModel({ turns: [{ text: 'Le ciel est bleu et le soleil brille.' }], delayMs: 30 }),
});

const writer = new Agent({
  name: 'Writer',
  instructions: 'Write, then translate with the tool.',
  tools: [translator.asTool({ toolName: 'translate_to_french', toolDescription: 'Translates text to French' })],
  model: new ScriptedModel({
    delayMs: 20,
    turns: [
      { text: 'Drafting: "The sky is blue and the sun is shining."', toolCalls: [{ name: 'translate_to_french', arguments: { input: 'The sky is blue and the sun is shining.' } }] },
      { text: 'In French: « Le ciel est bleu et le soleil brille. »' },
    ],
  }),
});

await lastValueFrom(
  run(writer, 'A sentence about the weather, in French.').pipe(
    tap((event) => {
      if (event.type === 'text.delta') process.stdout.write(event.delta);
      if (event.type === 'item.created' && event.item.type === 'tool_call') console.log(`\n→ ${event.item.rawItem.name}`);
      if (event.type === 'tool.progress') {
        // The nested run's own events, as they happen.
        const inner = event.value as StreamEvent;
        if (inner.type === 'text.delta') process.stdout.write(`\x1b[2m${inner.delta}\x1b[0m`);
      }
      if (event.type === 'item.created' && event.item.type === 'tool_output') console.log(`\n← ${event.item.rawItem.output}`);
      if (event.type === 'run.updated' && event.status !== 'running') console.log(`\nrun ${event.status}`);
    }),
  ),
);
