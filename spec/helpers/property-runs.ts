import { afterAll } from 'vitest';

/**
 * How many times each property runs: 500 in CI (`npm test`); `npm run soak` sets
 * PROPERTY_RUNS=20000. Each property also counts what its runs came to, and
 * prints the counts when SOAK_REPORT is set.
 */
export const propertyRuns = Number(process.env['PROPERTY_RUNS'] ?? 500);

/** Counts outcomes of one property's runs (printed at the end of a soak). */
export function tally(property: string): (outcome: string) => void {
  const counts = new Map<string, number>();
  let total = 0;
  afterAll(() => {
    if (!process.env['SOAK_REPORT']) return;
    const shown = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`[soak] ${property}: ${total} runs (${shown})`);
  });
  return (outcome) => {
    total++;
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  };
}

/** Time allowed to one property: about 2 s for 500 runs alone, far more on a loaded machine. */
export const propertyTimeoutMs = 120_000;
