import { afterEach } from 'vitest';
import { RedisRunRegistry } from '../../lib/redis/index.js';
import { useRedis } from '../durable/use-redis.js';
import { remoteRunSuite } from './remote-runs.suite.js';

const redis = useRedis();
const registries: RedisRunRegistry[] = [];
afterEach(() => registries.splice(0).forEach((r) => r.close()));
let n = 0;

remoteRunSuite('Redis', () => {
  const registry = new RedisRunRegistry({ client: redis.client(), prefix: `suite-${process.pid}-${++n}` });
  registries.push(registry);
  return registry;
});
