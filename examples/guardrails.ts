/**
 * Guardrails: an input guardrail that runs alongside the first model call and trips,
 * aborting the stream in flight; then an output guardrail that lets an answer through.
 * Offline on ScriptedModel.
 *
 *   npx tsx examples/guardrails.ts
 */
import { lastValueFrom, map, tap, timer } from 'rxjs';
import { Agent, InputGuardrailTripwireTriggered, run, ScriptedModel, type InputGuardrail, type InputItem } from '../lib/index.js';
import { printEvent } from './print-events.js';

const text = (input: readonly InputItem[]) => input.map((i) => ('content' in i && typeof i.content === 'string' ? i.content : '')).join(' ');

// Pretend classification that takes 120 ms (an Observable: it is unsubscribed if the run stops first).
const noHomework: InputGuardrail = {
  name: 'no_homework',
  execute: (input) => timer(120).pipe(map(() => ({ tripwireTriggered: /homework/i.test(text(input)), outputInfo: 'classified' }))),
};

const tutor = new Agent({
  name: 'Tutor',
  inputGuardrails: [noHomework],
  outputGuardrails: [{ name: 'no_answers_in_full', execute: (output) => ({ tripwireTriggered: String(output).length > 500 }) }],
  model: new ScriptedModel({
    delayMs: 30,
    turns: (request) => ({ text: /homework/i.test(text(request.input)) ? 'Sure! Question 1: the answer is x = 4, question 2: ...' : 'Photosynthesis turns light into sugar.' }),
  }),
});

console.log('1. "Do my homework" (the guardrail trips while the model streams)\n');
try {
  await lastValueFrom(run(tutor, 'Do my homework for me').pipe(tap(printEvent)));
} catch (error) {
  if (error instanceof InputGuardrailTripwireTriggered) console.log(`\nstopped by guardrail "${error.result.name}"`);
  else throw error;
}

console.log('\n2. "Explain photosynthesis" (both guardrails pass)\n');
await lastValueFrom(run(tutor, 'Explain photosynthesis').pipe(tap(printEvent)));
