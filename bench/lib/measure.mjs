// Helpers for the measuring side (child processes): clocks, gc, timeouts, the server's
// control endpoints, statistics. Sections' `measure` functions import from here.
import { setImmediate as nextMacrotask, setTimeout as sleep } from 'node:timers/promises';

export { nextMacrotask, sleep };

/** Monotonic clock, nanoseconds (bigint). */
export const hr = () => process.hrtime.bigint();
/** Nanoseconds (bigint) to milliseconds. */
export const ms = (ns) => Number(ns) / 1e6;

/** A full collection (twice: finalizers may free more). Needs `node --expose-gc`, which the harness passes. */
export function gc() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
  globalThis.gc();
  globalThis.gc();
}

/** Lets pending callbacks run, then collects; before reading the heap. */
export async function settleGc() {
  for (let i = 0; i < 2; i++) {
    await nextMacrotask();
    gc();
  }
}

/** JS heap in use after a settled gc. */
export async function heapAfterGc() {
  await settleGc();
  return process.memoryUsage().heapUsed;
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function withTimeout(promise, msTimeout, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${msTimeout} ms`)), msTimeout);
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** `process.getActiveResourcesInfo()` counted by kind. */
export function resourceCounts() {
  const counts = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/**
 * Runs `fn` `warmup` times, then `reps` times timed; the median and the samples, in ms.
 * No forced gc between reps: a server never runs a full collection before each request,
 * and one costs the rep after it more than the collections that rep would have met
 * (measured: a tool loop 1.16× raw without, 1.38× with one before each loop).
 */
export async function timed(fn, { warmup, reps, check = () => {} }) {
  for (let i = 0; i < warmup; i++) check(await fn());
  const samples = [];
  for (let i = 0; i < reps; i++) {
    const t0 = hr();
    const r = await fn();
    samples.push(ms(hr() - t0));
    check(r);
  }
  return { value: median(samples), samples };
}

/**
 * `timed` for a contender and the raw client in the same process: `work(contender)` is
 * timed for both, one after the other, the order turning rep by rep; `ratio` is the
 * median of the reps' contender ÷ raw. On a shared machine a process's speed moves by
 * ±20–30% from one process to the next, and so do ratios taken across processes; within
 * a rep both meet the same machine. Warm-ups run both too. For the raw contender itself
 * it is `timed`, with ratio 1.
 */
export async function pairedTimed(adapter, raw, work, { warmup, reps, check = () => {} }) {
  const own = () => work(adapter);
  if (adapter === raw) return { ...(await timed(own, { warmup, reps, check })), ratio: 1 };
  const base = () => work(raw);
  const once = async (f) => {
    const t0 = hr();
    const r = await f();
    const t = ms(hr() - t0);
    check(r);
    return t;
  };
  for (let i = 0; i < warmup; i++) {
    check(await own());
    check(await base());
  }
  const samples = [];
  const rawSamples = [];
  const ratios = [];
  for (let i = 0; i < reps; i++) {
    // The order turns: even reps time the contender first, odd ones the raw client.
    const [first, second] = i % 2 === 0 ? [own, base] : [base, own];
    const a = await once(first);
    const b = await once(second);
    const [t, rawT] = i % 2 === 0 ? [a, b] : [b, a];
    samples.push(t);
    rawSamples.push(rawT);
    ratios.push(t / rawT);
  }
  return { value: median(samples), samples, rawValue: median(rawSamples), rawSamples, ratio: median(ratios) };
}

/** A promise with its resolve function outside. */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
