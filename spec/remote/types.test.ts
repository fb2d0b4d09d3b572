import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import type { Redis } from 'ioredis';
import { type LateControl, remoteRun, type RemoteRunOptions } from '../../lib/client/index.js';
import { Agent, ScriptedModel, type RunInput, type StreamEvent, type TerminalRunStatus } from '../../lib/index.js';
import { RedisRunRegistry } from '../../lib/redis/index.js';
import { type ControlOutcome, type RunRegistry, type RunsHandler, serveRuns, withoutRawModelEvents } from '../../lib/server/index.js';

describe('types of remote runs', () => {
  it('remoteRun starts a run (agent and input) or attaches to one (runId), and is an Observable of StreamEvent', () => {
    expectTypeOf(remoteRun({ url: '/api', agent: 'assistant', input: 'Hi' })).toEqualTypeOf<Observable<StreamEvent<string>>>();
    expectTypeOf(remoteRun<{ city: string }>({ url: '/api', runId: 'r1', lastEventId: '4' })).toEqualTypeOf<Observable<StreamEvent<{ city: string }>>>();
    // @ts-expect-error neither an agent to start nor a run to attach to
    const nothing: RemoteRunOptions = { url: '/api' };
    // @ts-expect-error input must be run input, not a number
    const wrong: RemoteRunOptions = { url: '/api', agent: 'a', input: 42 };
    void nothing;
    void wrong;
  });

  it('serveRuns gives a web-standard handler with activeRuns and close()', () => {
    const handler = serveRuns({ agents: { a: new Agent({ name: 'A', model: new ScriptedModel({ turns: [] }) }) } });
    expectTypeOf(handler).toEqualTypeOf<RunsHandler>();
    expectTypeOf(handler).toBeCallableWith(new Request('http://127.0.0.1/runs'));
    expectTypeOf(handler).returns.toEqualTypeOf<Promise<Response>>();
    expectTypeOf(handler.activeRuns).toEqualTypeOf<number>();
    expectTypeOf(handler.close).returns.toEqualTypeOf<Promise<void>>();
    // @ts-expect-error authorize answers an identity string (or undefined), not a boolean
    serveRuns({ agents: {}, authorize: () => true });
    // sendEvent sees every event of a run (whatever its output type) and answers whether it crosses
    serveRuns({ agents: {}, sendEvent: (event) => event.type !== 'model.event' });
    serveRuns({ agents: {}, sendEvent: withoutRawModelEvents });
    expectTypeOf(withoutRawModelEvents).parameter(0).toEqualTypeOf<StreamEvent<unknown>>();
    // @ts-expect-error a filter answers a boolean
    serveRuns({ agents: {}, sendEvent: () => 'yes' });
  });

  it('a RedisRunRegistry is a RunRegistry; a control is accepted, or refused with the status the run ended in', () => {
    expectTypeOf<RedisRunRegistry>().toMatchTypeOf<RunRegistry>();
    expectTypeOf<RedisRunRegistry['close']>().returns.toEqualTypeOf<void>();
    expectTypeOf<RedisRunRegistry['send']>().returns.resolves.toEqualTypeOf<ControlOutcome>();
    // Never called: the registry needs its Redis client.
    const unconnected = () => new RedisRunRegistry(
      // @ts-expect-error no client
      { leaseMs: 1_000 },
    );
    const connected = (client: Redis) => new RedisRunRegistry({ client, leaseMs: 1_000 });
    void unconnected;
    void connected;
    const outcome = {} as ControlOutcome;
    if (!outcome.accepted) expectTypeOf(outcome.status).toEqualTypeOf<TerminalRunStatus | undefined>();
  });

  it('onLate is told which control came too late, with what it carried', () => {
    const late = {} as LateControl;
    if (late.kind === 'inject') expectTypeOf(late.input).toEqualTypeOf<RunInput>();
    expectTypeOf(late.status).toEqualTypeOf<TerminalRunStatus | undefined>();
    remoteRun({ url: '/api', agent: 'a', input: 'Hi', onLate: (control) => expectTypeOf(control).toEqualTypeOf<LateControl>() });
  });
});
