import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { exampleApp, type ExampleApp } from '../../examples/remote/app.js';
import { Agent, tool } from '../../lib/index.js';
import { OpenAIResponsesModel } from '../../lib/openai/index.js';
import { launchBrowser } from '../support/browser.js';
import { useOpenAIServer } from '../support/use-openai-server.js';
import { eventually } from './remote-runs.suite.js';

const fx = useOpenAIServer();

describe('remote runs in a real browser (headless Chromium, the example page)', () => {
  let browser: Browser;
  let app: ExampleApp;
  let http: Server;
  let url: string;
  let page: Page;
  /** Resolves the next time the page's injected input has been accepted by the server. */
  let injected: Promise<void>;

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(): Promise<void> {
    let accepted!: () => void;
    injected = new Promise((resolve) => (accepted = resolve));
    const waitForUser = tool({ name: 'wait_for_user', description: 'Waits for the user', parameters: z.object({}), execute: () => injected.then(() => 'the user spoke') });
    const model = new OpenAIResponsesModel({ client: fx.client(), model: 'gpt-test' });
    app = await exampleApp({ agents: { assistant: new Agent({ name: 'Assistant', model, tools: [waitForUser] }) } });
    http = createServer((req, res) => {
      if (req.method === 'POST' && req.url?.endsWith('/inject')) res.once('finish', () => res.statusCode === 202 && accepted());
      app.listener(req, res);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(url);
  }

  afterEach(async () => {
    await page?.close();
    http?.closeAllConnections();
    await new Promise((resolve) => http?.close(resolve));
    await app?.handler.close();
  });

  const textOf = (id: string) => page.locator(`#${id}`).textContent();
  const waitForText = (id: string, text: string) =>
    page.waitForFunction(([id, text]) => document.getElementById(id)!.textContent!.includes(text), [id, text] as const);

  it('streams the answer into the page, and Stop cancels the run on the server', async () => {
    await open();
    fx.server.enqueue({ text: 'Paris is lovely in spring', fault: { kind: 'hang' } });
    await page.click('#send');
    await waitForText('output', 'lovely in spring');
    expect(await textOf('status')).toBe('running');
    await page.click('#stop');
    await waitForText('status', 'cancelled: the user pressed Stop');
    const model = await fx.server.request(0);
    await model.closed;
    expect(model.closedByClient).toBe(true);
    await eventually(() => app.handler.activeRuns === 0);
  }, 30_000);

  it('what the user says while it works joins the next turn', async () => {
    await open();
    fx.server.enqueue({ toolCalls: [{ name: 'wait_for_user', arguments: {} }] }, { text: 'Rome is lovely too.' });
    await page.click('#send');
    await fx.server.request(0);
    await page.fill('#more', 'And what about Rome?');
    await page.click('#inject');
    await waitForText('status', 'completed');
    expect(await textOf('output')).toContain('Rome is lovely too.');
    expect(JSON.stringify((await fx.server.request(1)).body)).toContain('And what about Rome?');
  }, 30_000);

  it('a page reload attaches to the same run, which went on meanwhile, and can still stop it', async () => {
    await open();
    fx.server.enqueue({ text: ['Part one. ', 'Part two. '], fault: { kind: 'hang' } });
    await page.click('#send');
    await waitForText('output', 'Part two.');
    await page.reload();
    await waitForText('output', 'Part one. Part two.');
    expect(await textOf('status')).toBe('running');
    expect(fx.server.requests).toHaveLength(1);
    expect(app.handler.activeRuns).toBe(1);
    await page.click('#stop');
    await waitForText('status', 'cancelled: the user pressed Stop');
    await (await fx.server.request(0)).closed;
    await eventually(() => app.handler.activeRuns === 0);
  }, 30_000);
});
