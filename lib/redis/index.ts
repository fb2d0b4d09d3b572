/**
 * rxjs-agents/redis: durable conversations on Redis (Node only; needs `ioredis`).
 * @packageDocumentation
 */
export { RedisSession, type RedisSessionOptions } from './redis-session.js';
export { redisConversationLock } from './redis-conversation-lock.js';
export { redisLease, type RedisLease, type RedisLeaseOptions } from './redis-lease.js';
