-- The epoch of the shared log, created when missing: Redis lost its data (or never had any), so the sequence and
-- the log of an older epoch are dropped with it, and ids start over under an epoch that never was.
-- KEYS: epoch, sequence, log
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  local now = redis.call('TIME')
  epoch = tostring(tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
  redis.call('SET', KEYS[1], epoch)
  redis.call('DEL', KEYS[2], KEYS[3])
end
return epoch
