import type { Redis } from 'ioredis';
import type { RunControl } from '../server/run-registry.js';

/** A node's control stream being read. */
export interface RunInbox {
  /** Stops reading (the blocking connection is closed). */
  close(): void;
}

/**
 * Reads a node's control stream (`inbox`) on a blocking connection of its own, in
 * order, handing each message to `receive` and, when its sender waits for the
 * answer, publishing `<request id> 1|0` (taken or not) on the sender's channel.
 * Messages stay in the stream while the node is slow, so none is lost.
 */
export function openRunInbox(client: Redis, inbox: string, receive: (runId: string, control: RunControl) => boolean): RunInbox {
  const reader = client.duplicate();
  // Failures surface on the read, which is retried; without a listener ioredis would print them.
  reader.on('error', () => undefined);
  let closed = false;
  let last = '0-0';

  const handle = (fields: string[]) => {
    const field = (name: string) => fields[fields.indexOf(name) + 1];
    const runId = field('r');
    const control = field('c');
    if (!runId || !control) return;
    const accepted = receive(runId, JSON.parse(control) as RunControl);
    const to = field('to');
    if (to) void client.publish(to, `${field('q')} ${accepted ? 1 : 0}`).catch(() => undefined);
  };

  void (async () => {
    while (!closed) {
      try {
        const streams = await reader.xread('COUNT', 100, 'BLOCK', 0, 'STREAMS', inbox, last);
        for (const [, entries] of streams ?? []) {
          for (const [id, fields] of entries) {
            last = id;
            if (!closed) handle(fields);
          }
        }
      } catch {
        if (!closed) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  })();

  return {
    close() {
      closed = true;
      reader.disconnect();
    },
  };
}
