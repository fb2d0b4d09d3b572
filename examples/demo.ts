/**
 * The main demo: streamed text, a tool call with progress, input injected into a
 * running run, and a graceful cancel, on a session that stays valid throughout.
 *
 *   npm run demo            offline, on the built-in ScriptedModel
 *   OPENAI_API_KEY=… npm run demo   on OpenAI (OPENAI_MODEL, OPENAI_BASE_URL optional)
 */
import { lastValueFrom, map, Observable, Subject, tap, timer } from 'rxjs';
import * as z from 'zod';
import { Agent, MemorySession, run, tool, type Model } from '../lib/index.js';
import { scriptedWeatherModel } from './demo-model.js';
import { printEvent } from './print-events.js';

const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  // An Observable tool: earlier values are progress, the last is the output. Unsubscribing stops the timer.
  execute: ({ city }) =>
    new Observable<string>((subscriber) => {
      subscriber.next(`looking up ${city}`);
      const t = setTimeout(() => {
        subscriber.next(`${city}: ${city === 'Rome' ? 'sunny, 24°C' : 'cloudy, 14°C'}`);
        subscriber.complete();
      }, 300);
      return () => clearTimeout(t);
    }),
});

async function main(): Promise<void> {
  const model: Model = await demoModel();
  const agent = new Agent({ name: 'Weather', instructions: 'Be brief.', model, tools: [getWeather] });
  const session = new MemorySession('demo');

  console.log('\n1. A question, a tool call, and a message injected while the tool runs\n');
  const say$ = new Subject<string>();
  await lastValueFrom(
    run(agent, ask('What is the weather in Paris?'), { session, inject$: say$ }).pipe(
      tap(printEvent),
      tap((e) => {
        // The user adds to the question while the first tool call runs.
        if (e.type === 'item.created' && e.item.type === 'tool_call' && !say$.closed) {
          say$.next('Also in Rome, please.');
          say$.complete();
        }
      }),
    ),
  );

  console.log('\n2. A long answer, cancelled after 400 ms\n');
  const cancel$ = timer(400).pipe(
    tap(() => console.log('\n  [user presses stop]')),
    map(() => 'user pressed stop'),
  );
  await lastValueFrom(run(agent, ask('Write me a poem about the weather.'), { session, cancel$ }).pipe(tap(printEvent)));

  console.log('\n3. The session after a cancel is valid history, ready to continue:\n');
  for (const item of await session.getItems()) {
    const text = 'content' in item ? (typeof item.content === 'string' ? JSON.stringify(item.content) : (item.content ?? []).map((part) => ('text' in part ? part.text : part.type)).join('')).slice(0, 70) : item.type === 'function_call' ? `${item.name}(${item.arguments})` : item.type === 'function_call_output' ? item.output : item.type;
    console.log(`  ${'role' in item ? item.role : item.type}: ${text}`);
  }
  // A deliberate choice (see README, "Lifecycle semantics"): what the model streamed before the
  // cancel was shown to the user but is not history, so the model never takes a cut-off text for
  // an answer it finished. The application keeps it if it wants to (the text.delta events).
  console.log('\n  The poem cut off by the cancel is deliberately not in the history: only the question is.');

  console.log('\n4. The next run continues from that history\n');
  await lastValueFrom(run(agent, ask('Thanks! And the weather in Oslo?'), { session }).pipe(tap(printEvent)));
}

/** Prints the user's prompt for a part of the demo, and returns it. */
function ask(prompt: string): string {
  console.log(`  user: ${prompt}\n`);
  return prompt;
}

/** ScriptedModel offline; OpenAI when OPENAI_API_KEY is set. */
async function demoModel(): Promise<Model> {
  if (!process.env['OPENAI_API_KEY']) {
    console.log('(offline: ScriptedModel. Set OPENAI_API_KEY to use OpenAI.)');
    return scriptedWeatherModel();
  }
  const { OpenAIResponsesModel } = await import('../lib/openai/index.js');
  const name = process.env['OPENAI_MODEL'] ?? 'gpt-4.1-mini';
  console.log(`(OpenAI Responses API, model ${name})`);
  return new OpenAIResponsesModel({ model: name });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
