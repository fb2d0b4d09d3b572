import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatServer, type ChatServer } from '../../examples/angular/server.js';
import { ensureExampleBuilt, type ExampleVariant } from '../support/angular-example.js';
import { launchBrowser } from '../support/browser.js';

// The example app (examples/angular), built for production and driven in headless
// chromium: what a person sees, with the agent in the page (offline) and on the
// example's server (remoteRun to serveRuns). The default build is zoneless; the same app
// built with zone.js (`ng build -c production,zone`) runs the scenarios against the server.
// Screenshots of each state go to spec/.artifacts/angular-chat/.

const shots = resolve('spec/.artifacts/angular-chat');
const variants: readonly ExampleVariant[] = ['zoneless', 'zone'];
let browser: Browser;
let page: Page;

interface Served {
  readonly dir: string;
  readonly app: ChatServer;
  readonly http: Server;
  readonly origin: string;
}
const served = new Map<ExampleVariant, Served>();

async function serve(variant: ExampleVariant): Promise<Served> {
  const dir = await ensureExampleBuilt(variant);
  const app = chatServer(dir);
  const http = createServer(app.listener);
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  return { dir, app, http, origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}/` };
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  // One build at a time: two Angular builds at once would only fight over the same cores.
  for (const variant of variants) served.set(variant, await serve(variant));
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  for (const { http, app } of served.values()) {
    http.closeAllConnections();
    await new Promise((done) => http.close(done));
    await app.handler.close();
  }
});

afterEach(async () => {
  await page?.close();
});

const lastAssistant = () => page.locator('[data-kind="assistant"]').last();

async function send(text: string): Promise<void> {
  await page.getByTestId('input').fill(text);
  await page.getByTestId('send').click();
}

async function waitForStatus(wanted: string): Promise<void> {
  await page.waitForFunction((s) => document.querySelector('[data-testid="status"]')?.textContent?.trim() === s, wanted, { timeout: 15_000 });
}

describe.each(variants)('the Angular example app build, %s', (variant) => {
  it("keeps the initial bundle within Angular's 500 kB budget, without the OpenAI client", () => {
    const { dir } = served.get(variant)!;
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const initial = [...new Set([...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => join(dir, m[1]!)))];
    const bytes = initial.reduce((sum, file) => sum + statSync(file).size, 0);
    // Angular's budgets count 1 kB as 1000 bytes.
    console.log(`initial bundle (${variant}): ${(bytes / 1000).toFixed(2)} kB raw (${initial.length} files)`);
    expect(bytes).toBeLessThan(500_000);
    for (const file of initial) expect(readFileSync(file, 'utf8')).not.toContain('api.openai.com');
  });
});

// With zone.js, the scenarios run against the server only: fetch, the SSE stream and the
// control POSTs go through zone.js's patches there, and the offline agent adds nothing to prove.
describe.each([
  { variant: 'zoneless', mode: 'offline', query: '', where: 'offline, in the page' },
  { variant: 'zoneless', mode: 'remote', query: '?remote=/api', where: 'on the server at /api' },
  { variant: 'zone', mode: 'remote', query: '?remote=/api', where: 'on the server at /api' },
] as const)('the Angular example app in a real browser, $variant, $mode', ({ variant, mode, query, where }) => {
  const shot = (name: string) =>
    page.screenshot({ path: join(shots, `${variant === 'zone' ? 'zone-' : ''}${mode}-${name}.png`), fullPage: true });
  let app: ChatServer;

  beforeEach(async () => {
    ({ app } = served.get(variant)!);
    page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(served.get(variant)!.origin + query);
    await page.getByTestId('status').waitFor();
    expect(await page.getByTestId('where').textContent()).toContain(where);
    expect(errors).toEqual([]);
  });

  if (variant === 'zoneless') {
    it('runs zoneless: no zone.js on the page, signals refresh the view', async () => {
      expect(await page.evaluate(() => typeof (globalThis as { Zone?: unknown }).Zone)).toBe('undefined');
    });
  } else {
    it("runs with zone.js: Zone is loaded and the app's listeners run in Angular's zone", async () => {
      expect(await page.evaluate(() => typeof (globalThis as { Zone?: unknown }).Zone)).toBe('function');
      // zone.js keeps each listener's task on its target; Angular's NgZone is the zone named 'angular'.
      const zone = await page.getByTestId('stop').evaluate((button) => {
        const tasks = (button as unknown as Record<string, { zone?: { name?: string } }[] | undefined>)['__zone_symbol__clickfalse'];
        return tasks?.[0]?.zone?.name;
      });
      expect(zone).toBe('angular');
    });
  }

  it('streams text in, and Stop turns the status to cancelled and the text stops growing', async () => {
    await send('Tell me a poem about the weather');
    await waitForStatus('running');
    await page.waitForFunction(() => (document.querySelector('[data-kind="assistant"]')?.textContent?.length ?? 0) > 60);
    const early = (await lastAssistant().textContent()) ?? '';
    await page.waitForFunction((n) => (document.querySelector('[data-kind="assistant"]')?.textContent?.length ?? 0) > n + 20, early.length);
    expect(await lastAssistant().getAttribute('data-status')).toBe('streaming');
    await shot('1-streaming');

    await page.getByTestId('stop').click();
    await waitForStatus('cancelled');
    expect(await lastAssistant().getAttribute('data-status')).toBe('stopped');
    const stopped = (await lastAssistant().textContent()) ?? '';
    expect(stopped.length).toBeGreaterThan(early.length);
    // The model streams a word every 40 ms: a few of its periods pass without a word.
    await page.waitForTimeout(300);
    expect(await lastAssistant().textContent()).toBe(stopped);
    expect(await page.getByTestId('stop').isDisabled()).toBe(true);
    // Remote: the cancelled status came from the server, where the run is over.
    await expect.poll(() => app.handler.activeRuns).toBe(0);
    await shot('2-stopped');
  });

  it('shows a tool call with its progress, and an injected message is used by the model', async () => {
    await send('What is the weather in Paris?');
    const tool = page.locator('[data-kind="tool"]').first();
    await tool.locator('.progress').waitFor();
    expect(await tool.getAttribute('data-status')).toBe('running');
    expect(await tool.locator('.progress').textContent()).toContain('Paris');
    await shot('3-tool-progress');

    await page.getByTestId('input').fill('Also Rome, please.');
    await page.getByTestId('inject').click();
    await waitForStatus('completed');
    expect(await page.locator('[data-kind="user"].injected').textContent()).toContain('Also Rome, please.');
    const answer = (await lastAssistant().textContent()) ?? '';
    expect(answer).toContain('Paris: cloudy, 14°C');
    expect(answer).toContain('Rome: sunny, 24°C');
    expect(await page.locator('[data-kind="tool"][data-status="completed"]').count()).toBe(2);
    await shot('4-injected');
  });

  it('asks for approvals: one approved runs, one rejected is told to the model', async () => {
    await send('Please delete a.txt and b.txt');
    const prompts = page.getByTestId('approval');
    await prompts.nth(1).waitFor();
    expect(await prompts.count()).toBe(2);
    expect(await page.locator('[data-kind="tool"][data-status="awaiting_approval"]').count()).toBe(2);
    await shot('5-approval-prompt');

    await prompts.first().getByText('Approve').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="approval"]').length === 1);
    await prompts.first().getByText('Reject').click();
    await waitForStatus('completed');
    expect(await prompts.count()).toBe(0);
    const tools = page.locator('[data-kind="tool"]');
    expect(await tools.nth(0).getAttribute('data-status')).toBe('completed');
    expect(await tools.nth(0).textContent()).toContain('deleted a.txt');
    expect(await tools.nth(1).getAttribute('data-status')).toBe('rejected');
    const answer = (await lastAssistant().textContent()) ?? '';
    expect(answer).toContain('deleted a.txt');
    expect(answer).toContain('The user said no.');
    await shot('6-approvals-answered');
  });

  it('shows a failed run with its error', async () => {
    await send('Please fail');
    await waitForStatus('failed');
    expect(await page.getByTestId('error').textContent()).toContain('the model server went away');
    expect(await lastAssistant().getAttribute('data-status')).toBe('failed');
    expect(await page.getByTestId('status').textContent()).toContain('failed');
    await shot('7-failed');
  });
});
