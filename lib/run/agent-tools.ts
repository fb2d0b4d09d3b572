import { combineLatest, isObservable, Observable, of, Subscription } from 'rxjs';
import { UserError } from '../errors/agents-error.js';
import type { StreamEvent } from '../events/stream-event.js';
import type { Tool } from '../tools/tool.js';
import type { RunState } from './run-state.js';

/**
 * Runs `body$` with the agent's tools in `state.tools`. Fixed tools are there at
 * once; live tool lists are subscribed first, `body$` starts with their first
 * lists, each new list is used from the next turn, and they are released after
 * `body$` is torn down (so a call in flight is cancelled while its server is still there).
 */
export function withAgentTools<TContext>(
  state: RunState<TContext>,
  body$: Observable<StreamEvent<unknown>>,
): Observable<StreamEvent<unknown>> {
  if (takeFixedTools(state)) return body$;
  const entries = state.agent.tools;
  const agentName = state.agent.name;
  const lists$ = combineLatest(entries.map((entry) => (isObservable(entry) ? entry : of([entry]))));
  return new Observable<StreamEvent<unknown>>((subscriber) => {
    // A source may emit again while the body is being subscribed (a list change
    // during the first model call): `started` is set before, so the body starts once.
    let started = false;
    const body = new Subscription();
    const lists = lists$.subscribe({
      next: (toolLists) => {
        state.tools = toolLists.flat();
        if (started) return;
        started = true;
        // Its own subscriber (not `subscriber`), so its teardown stays in `body` and runs first.
        body.add(
          body$.subscribe({
            next: (event) => subscriber.next(event),
            error: (error: unknown) => subscriber.error(error),
            complete: () => subscriber.complete(),
          }),
        );
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        if (!started) subscriber.error(new UserError(`Agent "${agentName}": a tool source completed without a list of tools.`));
      },
    });
    return () => {
      body.unsubscribe();
      lists.unsubscribe();
    };
  });
}

/** An agent without live tool lists: its tools go in `state.tools` at once (true). Otherwise nothing changes (false). */
export function takeFixedTools<TContext>(state: RunState<TContext>): boolean {
  const entries = state.agent.tools;
  if (entries.some(isObservable)) return false;
  state.tools = entries as readonly Tool<TContext>[];
  return true;
}
