import type { ModelRequest, ScriptedTurn } from '../lib/index.js';
import { ScriptedModel } from '../lib/index.js';

/**
 * The demo's offline model: a scripted weather assistant that reads the request
 * (user messages, tool outputs) to decide what to say, so it reacts to injected input.
 */
export function scriptedWeatherModel(): ScriptedModel {
  return new ScriptedModel({ turns: weatherTurn, delayMs: 25 });
}

function weatherTurn(request: ModelRequest): ScriptedTurn {
  const users = request.input.flatMap((i) => ('role' in i && i.role === 'user' && typeof i.content === 'string' ? [i.content] : []));
  const lastUser = users.at(-1) ?? '';
  if (/poem/i.test(lastUser)) {
    return { text: 'Clouds drift over rooftops, rain taps the glass, the city hums a grey and patient song, ' + 'and '.repeat(40) + 'on.' };
  }
  const asked = ['Paris', 'Rome', 'Oslo'].filter((city) => users.some((u) => u.includes(city)));
  const answered = request.input.flatMap((i) => (i.type === 'function_call' ? [JSON.parse(i.arguments).city as string] : []));
  const missing = asked.filter((city) => !answered.includes(city));
  if (missing.length > 0) {
    return { text: `Let me check ${missing.join(' and ')}.`, toolCalls: missing.map((city) => ({ name: 'get_weather', arguments: { city } })) };
  }
  const outputs = request.input.flatMap((i) => (i.type === 'function_call_output' ? [i.output] : []));
  return { text: `Here is the weather: ${outputs.join('; ')}.` };
}
