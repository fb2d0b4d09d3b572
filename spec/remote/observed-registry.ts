import { Subject } from 'rxjs';
import type { RunControl, RunRegistry } from '../../lib/server/index.js';

/** `inner`, which also reports each control message a run took, so tests can wait for it instead of sleeping. */
export function observedRegistry(inner: RunRegistry): { registry: RunRegistry; delivered: Subject<RunControl> } {
  const delivered = new Subject<RunControl>();
  const registry: RunRegistry = {
    create: (record, receive) => inner.create(record, receive),
    find: (id) => inner.find(id),
    events: (id, after) => inner.events(id, after),
    send: async (id, control) => {
      const outcome = await inner.send(id, control);
      if (outcome.accepted) delivered.next(control);
      return outcome;
    },
  };
  return { registry, delivered };
}
