import { readFileSync } from 'node:fs';
import type { ServerTurn } from './server-script.js';
import type { WireStep } from './wire-step.js';

const directory = new URL('../providers/fixtures/', import.meta.url);

/**
 * The frames of a recorded stream, as the server writes them: every SSE frame of
 * the file (comment lines, which SSE readers skip, stay where they are), cut after
 * `fixtureFrames` data frames, then the turn's `drop` or `hang` fault if any.
 */
export function fixtureSteps(turn: ServerTurn): WireStep[] {
  const text = readFileSync(new URL(turn.fixture!, directory), 'utf8').replace(/\r\n/g, '\n');
  const frames = text.split(/\n{2,}/).filter((frame) => frame.trim() !== '');
  const steps: WireStep[] = [];
  let data = 0;
  for (const frame of frames) {
    const isData = frame.split('\n').some((line) => line.startsWith('data:'));
    if (isData && turn.fixtureFrames !== undefined && data >= turn.fixtureFrames) break;
    if (isData) data++;
    steps.push({ kind: 'send', frame: `${frame}\n\n`, paced: isData });
  }
  const fault = turn.fault?.kind;
  if (fault === 'drop' || fault === 'hang') steps.push({ kind: fault });
  return steps;
}
