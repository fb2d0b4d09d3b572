/**
 * A reasoning model with OpenAI's hosted web search, on the Responses API: the
 * reasoning streams apart from the answer, the search call arrives as a
 * `provider_item`, and requests continue the stored response instead of
 * resending the whole conversation.
 *
 *   OPENAI_API_KEY=… npx tsx examples/reasoning-and-hosted-tools.ts "What happened in space news this week?"
 *
 * Ctrl-C stops the run and closes the connection.
 */
import { Agent, run } from '../lib/index.js';
import { OpenAIResponsesModel, webSearchTool } from '../lib/openai/index.js';

const agent = new Agent({
  name: 'Researcher',
  instructions: 'Search the web, then answer in three sentences with sources.',
  model: new OpenAIResponsesModel({ model: process.env['OPENAI_MODEL'] ?? 'gpt-5-mini', continuation: 'previous_response_id' }),
  modelSettings: { reasoning: { effort: 'low', summary: 'auto' } },
  hostedTools: [webSearchTool({ search_context_size: 'low' })],
});

const controller = new AbortController();
process.once('SIGINT', () => controller.abort('interrupted'));

run(agent, process.argv[2] ?? 'What happened in space news this week?', { signal: controller.signal }).subscribe({
  next: (event) => {
    if (event.type === 'reasoning.delta') process.stdout.write(`\x1b[2m${event.delta}\x1b[0m`);
    if (event.type === 'text.delta') process.stdout.write(event.delta);
    if (event.type === 'item.created' && event.item.type === 'provider_item') console.log(`\n[${event.item.itemType}]`);
    if (event.type === 'item.created' && event.item.type === 'reasoning') process.stdout.write('\n');
    if (event.type === 'run.updated' && event.result) console.log(`\n— ${event.status}, ${event.result.usage.reasoningTokens} reasoning tokens`);
  },
  error: (error: unknown) => console.error('\nFailed:', error instanceof Error ? error.message : error),
});
