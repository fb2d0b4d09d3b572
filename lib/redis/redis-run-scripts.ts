import { redisScript } from './redis-script.js';

// Every script reads the clock of the Redis server, the one clock all nodes share.
const now = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * Records a new run and its lease.
 * KEYS: meta, leases. ARGV: id, identity, agent, owner, leaseMs.
 */
export const createRun = redisScript(`${now}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'identity', ARGV[2], 'agent', ARGV[3], 'owner', ARGV[4], 'status', 'running')
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[1])
return 1
`);

/**
 * Appends a batch of events to a run's log and publishes them (`id\\njson\\nid\\njson…`
 * on the log's own name) to the nodes reading it. Refused (0) unless the caller
 * still owns the running run: a node that lost its lease cannot write after the
 * run was ended for it. A terminal batch ends the lease and starts the log's expiry.
 * KEYS: meta, log, leases. ARGV: owner, maxLen, retainMs, id, terminal status or '', events…
 */
export const appendEvents = redisScript(`
local meta = redis.call('HMGET', KEYS[1], 'owner', 'status')
if meta[1] ~= ARGV[1] or meta[2] ~= 'running' then return 0 end
local message = {}
for i = 6, #ARGV do
  message[#message + 1] = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[i])
  message[#message + 1] = ARGV[i]
end
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'status', ARGV[5])
  redis.call('ZREM', KEYS[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
redis.call('PUBLISH', KEYS[2], table.concat(message, '\\n'))
return 1
`);

/**
 * Extends the leases of the runs a node owns; answers the ids it no longer owns
 * (another node ended them when the lease lapsed).
 * KEYS: leases, inbox. ARGV: leaseMs, inboxTtlMs, ids…
 */
export const renewLeases = redisScript(`${now}
local lost = {}
for i = 3, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
  else
    lost[#lost + 1] = ARGV[i]
  end
end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return lost
`);

/**
 * Ends, as failed, every running run whose lease lapsed: its owner stopped renewing
 * it. Whichever node runs this first records the end; the others find nothing.
 * KEYS: leases. ARGV: run key prefix, terminal event JSON, retainMs, maxLen, limit.
 */
export const sweepLapsed = redisScript(`${now}
local ended = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))) do
  redis.call('ZREM', KEYS[1], id)
  local meta = ARGV[1] .. id
  if redis.call('HGET', meta, 'status') == 'running' then
    local log = meta .. ':log'
    redis.call('HSET', meta, 'status', 'failed')
    local logged = redis.call('XADD', log, 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[2])
    redis.call('PEXPIRE', meta, ARGV[3])
    redis.call('PEXPIRE', log, ARGV[3])
    redis.call('PUBLISH', log, logged .. '\\n' .. ARGV[2])
    ended[#ended + 1] = id
  end
end
return ended
`);
