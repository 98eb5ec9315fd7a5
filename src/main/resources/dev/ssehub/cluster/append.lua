-- Appends one event to the shared log and returns its id, "<epoch>-<sequence>": the next sequence of the epoch,
-- and the stream entry id "<sequence>-0", so the log's order is the ids' order. Everything that must be atomic and
-- nothing else: O(1) whatever the number of nodes and subscribers.
-- KEYS: epoch, sequence, log, idempotency key (unused when ARGV[4] is empty)
-- ARGV: topic, encoded event, log length to keep (approximate, at least), idempotency key, its lifetime in seconds
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  return redis.error_reply('NOEPOCH the log has no epoch: run epoch.lua first')
end
if ARGV[4] ~= '' then
  local earlier = redis.call('GET', KEYS[4])
  if earlier then
    return earlier
  end
end
local sequence = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], sequence .. '-0', 'e', epoch, 't', ARGV[1], 'b', ARGV[2])
local id = epoch .. '-' .. sequence
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[4], id, 'EX', ARGV[5])
end
return id
