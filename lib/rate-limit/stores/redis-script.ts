/**
 * The Lua script behind RedisStore: checks and counts every window of one client atomically.
 * KEYS: one counter per window, all sharing the `{client}` hash tag (one slot, so Cluster works).
 * ARGV[1]: '1' to count refused requests too (stackBlockedRequests), else '0';
 * ARGV[2]: the fence, a time on Redis's clock (ms) after which the call must not count ('0': none);
 * ARGV[2i+1], ARGV[2i+2]: limit and period (ms) of window i; limit 0 marks a monitor window, which is
 * counted but never refuses.
 * Reply: { counted (1|0, or -1 past the fence), count1, ttl1, count2, ttl2, …, now } where ttl is
 * ms until that window resets and `now` is Redis's clock in ms (the store learns the clock offset
 * from it).
 *
 * The fence is what makes "a hit the limiter gave up is never counted later" hold for commands that
 * were already written: a stopped or partitioned Redis still executes what sits in its socket buffer
 * when it resumes (closing or resetting our socket does not discard that), so the script itself
 * refuses to count once the fence has passed.
 *
 * A window starts with the client's first counted hit (INCR returns 1 → PEXPIRE). A key is never
 * left without a TTL, and a TTL longer than the current period (the period was shortened) is cut,
 * on refused requests too.
 */
export const RATE_LIMIT_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local fence = tonumber(ARGV[2])
if fence > 0 and now > fence then return { -1, now } end
local n = #KEYS
local stack = ARGV[1] == '1'
local counts = redis.call('MGET', unpack(KEYS))
local room = true
for i = 1, n do
  local c = tonumber(counts[i]) or 0
  local limit = tonumber(ARGV[2 * i + 1])
  counts[i] = c
  if limit > 0 and c >= limit then room = false end
end
local reply = { 0 }
if room or stack then
  reply[1] = 1
  for i = 1, n do
    local period = tonumber(ARGV[2 * i + 2])
    local c = redis.call('INCR', KEYS[i])
    local ttl = period
    if c == 1 then
      redis.call('PEXPIRE', KEYS[i], period)
    else
      ttl = redis.call('PTTL', KEYS[i])
      if ttl < 0 or ttl > period then
        redis.call('PEXPIRE', KEYS[i], period)
        ttl = period
      end
    end
    reply[2 * i] = c
    reply[2 * i + 1] = ttl
  end
else
  for i = 1, n do
    local ttl = tonumber(ARGV[2 * i + 2])
    if counts[i] > 0 then
      local left = redis.call('PTTL', KEYS[i])
      if left >= 0 and left <= ttl then
        ttl = left
      else
        -- No expiry (or one past the period): a full counter would refuse this client for ever.
        redis.call('PEXPIRE', KEYS[i], ttl)
      end
    end
    reply[2 * i] = counts[i]
    reply[2 * i + 1] = ttl
  end
end
reply[2 * n + 2] = now
return reply
`;

/** The ioredis command name the script is registered under (defineCommand). */
export const SCRIPT_COMMAND = 'expressApiGuardRateLimit';

/** Reply marker: the call reached Redis after its fence and counted nowhere. */
export const PAST_FENCE = -1;

/**
 * Reads one client's windows without counting (limiter.inspect()): KEYS as for the rate-limit
 * script. Reply: { count1, ttl1, count2, ttl2, … }, a count of 0 and a negative ttl for a window that
 * is not running. One round trip, one consistent reading.
 */
export const PEEK_SCRIPT = `
local counts = redis.call('MGET', unpack(KEYS))
local reply = {}
for i = 1, #KEYS do
  reply[2 * i - 1] = tonumber(counts[i]) or 0
  reply[2 * i] = redis.call('PTTL', KEYS[i])
end
return reply
`;
