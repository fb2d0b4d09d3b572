import { Observable } from 'rxjs';
import { Agent, MemorySession, run, ScriptedModel, tool, type ModelRequest, type ScriptedTurn } from 'rxjs-agents';
import type { ChatRun } from 'rxjs-agents/angular';
import * as z from 'zod/mini';

/** An Observable tool: earlier values are progress, the last is the output; unsubscribing stops its timers. */
const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) =>
    new Observable<string>((subscriber) => {
      subscriber.next(`looking up ${city}…`);
      const reading = setTimeout(() => subscriber.next(`reading the sensors in ${city}…`), 700);
      const done = setTimeout(() => {
        subscriber.next(`${city}: ${city === 'Rome' ? 'sunny, 24°C' : 'cloudy, 14°C'}`);
        subscriber.complete();
      }, 1400);
      return () => {
        clearTimeout(reading);
        clearTimeout(done);
      };
    }),
});

/** A tool a person must approve, call by call. */
const deleteFile = tool({
  name: 'delete_file',
  description: 'Deletes a file',
  parameters: z.object({ path: z.string() }),
  needsApproval: true,
  execute: ({ path }) => `deleted ${path}`,
});

/**
 * The offline model: a scripted assistant that reads the request (user messages,
 * tool outputs) to decide what to say, so it reacts to injected input and to
 * approvals. Replace it with an `OpenAIResponsesModel` on a server, never in a browser.
 */
export const offlineModel = new ScriptedModel({ turns: (request) => answer(request), delayMs: 40 });

export const agent = new Agent({
  name: 'Assistant',
  instructions: 'Be brief.',
  model: offlineModel,
  tools: [getWeather, deleteFile],
});

/** Runs the assistant in the page; the session keeps the conversation between runs. */
export function localChatRun(session = new MemorySession('chat')): ChatRun {
  return (input, controls) => run(agent, input, { ...controls, session });
}

function answer(request: ModelRequest): ScriptedTurn {
  const users = request.input.flatMap((i) => ('role' in i && i.role === 'user' && typeof i.content === 'string' ? [i.content] : []));
  const last = users.at(-1) ?? '';
  const outputs = request.input.flatMap((i) => (i.type === 'function_call_output' ? [i.output] : []));
  const calls = request.input.flatMap((i) => (i.type === 'function_call' ? [i] : []));
  if (/fail/i.test(last)) return { text: 'Let me think about', fail: 'the model server went away' };
  if (/poem|story/i.test(last)) {
    return { text: 'Clouds drift over rooftops, rain taps the glass, the city hums a grey and patient song, ' + 'and on '.repeat(120) + 'until the light.' };
  }
  if (/delete/i.test(last)) {
    const files = last.match(/[\w-]+\.\w+/g) ?? [];
    const since = request.input.slice(request.input.map((i) => 'role' in i && i.role === 'user').lastIndexOf(true));
    const asked = since.filter((i) => i.type === 'function_call' && i.name === 'delete_file');
    if (asked.length === 0) return { text: `I will delete ${files.join(' and ')}.`, toolCalls: files.map((path) => ({ name: 'delete_file', arguments: { path } })) };
    return { text: `Done. ${since.flatMap((i) => (i.type === 'function_call_output' ? [i.output] : [])).join(' ')}` };
  }
  const cities = ['Paris', 'Rome', 'Oslo'].filter((city) => users.some((u) => u.includes(city)));
  if (cities.length === 0) return { text: `You said: "${last}". Ask me about the weather in Paris, Rome or Oslo, for a poem, or to delete a.txt and b.txt.` };
  const answered = calls.flatMap((c) => (c.name === 'get_weather' ? [(JSON.parse(c.arguments) as { city: string }).city] : []));
  const missing = cities.filter((city) => !answered.includes(city));
  if (missing.length > 0) {
    return { text: `Let me check ${missing.join(' and ')}.`, toolCalls: missing.map((city) => ({ name: 'get_weather', arguments: { city } })) };
  }
  return { text: `Here is the weather: ${outputs.filter((o) => o.includes('°')).join('; ')}.` };
}
