/**
 * An agent on a local Ollama server through its OpenAI-compatible Chat Completions API.
 *
 *   ollama pull llama3.2 && ollama serve
 *   npx tsx examples/chat-completions-ollama.ts "What's the weather in Paris and in Rome?"
 *
 * Environment: OLLAMA_MODEL (default llama3.2; pick one that supports tools),
 * OLLAMA_BASE_URL (default http://localhost:11434/v1). Ctrl-C stops the run and
 * closes the connection to the server.
 */
import OpenAI from 'openai';
import * as z from 'zod';
import { Agent, run, tool } from '../lib/index.js';
import { OpenAIChatCompletionsModel } from '../lib/openai/index.js';

const client = new OpenAI({ baseURL: process.env['OLLAMA_BASE_URL'] ?? 'http://localhost:11434/v1', apiKey: 'ollama' });
const model = new OpenAIChatCompletionsModel({ client, model: process.env['OLLAMA_MODEL'] ?? 'llama3.2' });

const getWeather = tool({
  name: 'get_weather',
  description: 'The current weather in a city.',
  parameters: z.object({ city: z.string().describe('The city name, e.g. Paris') }),
  execute: async ({ city }) => {
    const forecasts = ['sunny, 24 °C', 'cloudy, 17 °C', 'light rain, 12 °C'];
    return `${city}: ${forecasts[city.length % forecasts.length]}`;
  },
});

const agent = new Agent({
  name: 'Weather assistant',
  instructions: 'Answer briefly. Use get_weather for any question about the weather.',
  model,
  tools: [getWeather],
});

const question = process.argv.slice(2).join(' ') || "What's the weather in Paris and in Rome?";
console.log(`> ${question}\n`);

const subscription = run(agent, question).subscribe({
  next: (event) => {
    if (event.type === 'text.delta') process.stdout.write(event.delta);
    if (event.type === 'item.created' && event.item.type === 'tool_call') {
      console.log(`[calling ${event.item.rawItem.name}(${event.item.rawItem.arguments})]`);
    }
    if (event.type === 'item.created' && event.item.type === 'tool_output') {
      console.log(`[${event.item.toolName} → ${event.item.rawItem.output}]`);
    }
    if (event.type === 'run.updated' && event.status !== 'running') {
      const usage = event.result?.usage;
      console.log(`\n\n(${event.status}${usage ? `, ${usage.requests} model calls, ${usage.totalTokens} tokens` : ''})`);
    }
  },
  error: (error: unknown) => {
    console.error(`\nThe run failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
});

process.once('SIGINT', () => {
  subscription.unsubscribe();
  console.log('\n(stopped)');
});
