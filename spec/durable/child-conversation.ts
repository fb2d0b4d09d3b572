import { fileURLToPath } from 'node:url';
import { bundleChild, type ChildExit, type ChildLine, type JsonLinesChild, spawnJsonLines } from '../support/json-lines-child.js';
import type { ChildConfig } from './fixtures/conversation-process.js';

export type { ChildLine } from '../support/json-lines-child.js';

const source = fileURLToPath(new URL('./fixtures/conversation-process.ts', import.meta.url));

/** A child process running one run (see fixtures/conversation-process.ts): events, `gate.waiting` or `child.error` lines. */
export interface ChildConversation extends Omit<JsonLinesChild, 'write'> {
  /** Opens the scripted gate. */
  open(): void;
  readonly exited: Promise<ChildExit>;
}

/** Starts a child process running one run on a RedisSession. */
export async function startChild(config: ChildConfig): Promise<ChildConversation> {
  const child = spawnJsonLines(await bundleChild(source), { CONVERSATION_CHILD: JSON.stringify(config) });
  return { ...child, open: () => child.write('open') };
}

/** The terminal run.updated line of a child's run. */
export function terminal(lines: readonly ChildLine[]): ChildLine | undefined {
  return lines.find((l) => l.type === 'run.updated' && l['status'] !== 'running');
}
