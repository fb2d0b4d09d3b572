// One node of a deployment with several: the remote example (page and agent) with its runs and
// conversations in Redis, so that any node serves any request for any run.
//
//   REDIS_URL=redis://127.0.0.1:6390 PORT=3001 npx tsx examples/nodes/server.ts
//
// Start two (ports 3001 and 3002) on one redis-server, then run examples/nodes/client.ts, or open
// either page: a run started on one node is followed, stopped and continued from the other.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { RedisRunRegistry, RedisSession } from '../../lib/redis/index.js';
import { assistant } from '../remote/agent.js';
import { exampleApp } from '../remote/app.js';

const client = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const registry = new RedisRunRegistry({ client });
const { listener, handler } = await exampleApp({
  agents: { assistant },
  registry,
  // Every node reads and writes the same conversations.
  session: (conversationId, user) => new RedisSession({ client, id: `${user}:${conversationId}` }),
});
const port = Number(process.env['PORT'] ?? 3001);
const server = createServer(listener).listen(port, '127.0.0.1', () => console.log(`Node ${registry.nodeId} on http://127.0.0.1:${port}`));

const stop = () => {
  server.closeAllConnections();
  server.close();
  // Runs of this node are cancelled and their ends logged before the registry lets go of Redis.
  void handler.close().then(async () => {
    registry.close();
    await client.quit();
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
