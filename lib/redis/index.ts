/**
 * rxjs-agents/redis: durable conversations, and remote runs served by several nodes, on Redis (Node only; needs `ioredis`).
 * @packageDocumentation
 */
export { RedisSession, type RedisSessionOptions } from './redis-session.js';
export { RedisHistoryCache, type RedisHistoryCacheOptions } from './redis-history-cache.js';
export { redisConversationLock } from './redis-conversation-lock.js';
export { redisLease, type RedisLease, type RedisLeaseOptions } from './redis-lease.js';
export { RedisRunRegistry, type RedisRunRegistryOptions } from './redis-run-registry.js';
