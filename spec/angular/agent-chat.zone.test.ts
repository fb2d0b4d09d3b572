// zone.js first, as in a zone.js app (its polyfill loads before Angular): it patches timers and promises.
import 'zone.js/node';
import { createEnvironmentInjector, type EnvironmentInjector, Injector, NgZone, runInInjectionContext } from '@angular/core';
import { tap } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { injectAgentChat, type AgentChatOptions } from '../../lib/angular/index.js';
import { Agent, run, ScriptedModel } from '../helpers/imports.js';
import { eventually } from '../remote/remote-runs.suite.js';

// injectAgentChat in an app that runs zone.js (provideZoneChangeDetection, whose NgZone this is): zone change detection
// runs when the Angular zone's microtasks drain (onMicrotaskEmpty), so a run's events must arrive
// inside that zone, and a run that ends must leave no task behind (or the app never becomes stable:
// whenStable, SSR and hydration wait for it).

let injector: EnvironmentInjector | undefined;
afterEach(() => injector?.destroy());

function chatInZone(options: AgentChatOptions) {
  const zone = new NgZone({});
  injector = createEnvironmentInjector([{ provide: NgZone, useValue: zone }], Injector.NULL as EnvironmentInjector);
  const chat = zone.run(() => runInInjectionContext(injector!, () => injectAgentChat(options)));
  return { zone, chat };
}

const settled = (zone: NgZone) => eventually(() => zone.isStable && !zone.hasPendingMacrotasks && !zone.hasPendingMicrotasks);

describe('injectAgentChat with zone.js', () => {
  it("streams into signals inside Angular's zone, so each event triggers change detection, and the zone settles when the run ends", async () => {
    const model = new ScriptedModel({ turns: [{ text: 'Sunny in Paris today.' }], delayMs: 2 });
    const inZone: boolean[] = [];
    const { zone, chat } = chatInZone({
      run: (input, controls) => run(new Agent({ name: 'A', model }), input, controls).pipe(tap(() => inZone.push(NgZone.isInAngularZone()))),
    });
    expect(typeof (globalThis as { Zone?: unknown }).Zone).toBe('function');
    expect(NgZone.isInAngularZone()).toBe(false);
    let checks = 0;
    zone.onMicrotaskEmpty.subscribe(() => checks++);
    zone.run(() => chat.send('Weather?'));
    expect(chat.isRunning()).toBe(true);
    expect(zone.hasPendingMacrotasks).toBe(true); // the model's paced chunks are timers of the Angular zone
    await settled(zone);
    expect(chat.status()).toBe('completed');
    expect(chat.messages().at(-1)).toMatchObject({ kind: 'assistant', text: 'Sunny in Paris today.', status: 'completed' });
    expect(inZone.length).toBeGreaterThan(3);
    expect(inZone.every(Boolean)).toBe(true);
    expect(checks).toBeGreaterThan(1); // change detection ran while the answer streamed, not only at the end
  });

  it('stop() from outside the zone cancels the run, and nothing is left pending in the zone', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'Once upon a time', hang: true }], delayMs: 2 });
    const { zone, chat } = chatInZone({ run: (input, controls) => run(new Agent({ name: 'A', model }), input, controls) });
    zone.run(() => chat.send('A story'));
    await eventually(() => chat.streamingText().length > 0);
    zone.runOutsideAngular(() => chat.stop());
    expect(chat.status()).toBe('cancelled');
    expect(chat.messages().at(-1)).toMatchObject({ kind: 'assistant', status: 'stopped' });
    expect(model.openStreams).toBe(0);
    await settled(zone);
  });

  it('destroying the injector mid-run stops it and leaves nothing pending in the zone', async () => {
    const model = new ScriptedModel({ turns: [{ text: 'Once upon a time', hang: true }], delayMs: 2 });
    const { zone, chat } = chatInZone({ run: (input, controls) => run(new Agent({ name: 'A', model }), input, controls) });
    zone.run(() => chat.send('A story'));
    await eventually(() => chat.streamingText().length > 0);
    injector!.destroy();
    injector = undefined;
    expect(model.openStreams).toBe(0);
    await settled(zone);
  });
});
