import { lastValueFrom, tap, toArray } from 'rxjs';
import { z } from 'zod';
import { type ReasoningDeltaEvent, type run, type RunResult, type StreamEvent, type TextDeltaEvent, tool } from '../../lib/index.js';

/** A `get_weather` tool that answers `<report> in <place>` (fixtures name the place `location` or `city`). */
export function weatherTool(report: string) {
  return tool({
    name: 'get_weather',
    description: 'Current weather',
    parameters: z.object({ location: z.string().optional(), city: z.string().optional() }),
    execute: ({ location, city }) => `${report} in ${location ?? city}`,
  });
}

/** Every event of a run (a failed run errors after its terminal event) and its result. */
export async function runAll(events$: ReturnType<typeof run>): Promise<{ events: StreamEvent<unknown>[]; result: RunResult<unknown> }> {
  const events: StreamEvent<unknown>[] = [];
  await lastValueFrom(events$.pipe(tap((e) => events.push(e as StreamEvent<unknown>)), toArray())).catch(() => undefined);
  const last = events.at(-1);
  if (last?.type !== 'run.updated' || !last.result) throw new Error('the run did not end');
  return { events, result: last.result };
}

/** The reasoning the user saw, joined. */
export const reasoningOf = (events: readonly StreamEvent<unknown>[]): string =>
  events.filter((e): e is ReasoningDeltaEvent => e.type === 'reasoning.delta').map((e) => e.delta).join('');

/** The text the user saw, joined. */
export const textOf = (events: readonly StreamEvent<unknown>[]): string =>
  events.filter((e): e is TextDeltaEvent => e.type === 'text.delta').map((e) => e.delta).join('');

/** The kinds of the items a run produced; provider items by their own type. */
export const kinds = (result: RunResult<unknown>): string[] =>
  result.items.map((i) => (i.type === 'provider_item' ? i.itemType : i.type));
