-- The epoch of the shared log. A new one starts when there is none (Redis lost its data, or never had any), or when
-- the sequence went back below what the caller already read in this epoch (a failover to a replica that had not
-- received the newest events): ids given after that would repeat ids already seen. A new epoch drops the sequence
-- and the log of the old one, so ids start over under an epoch that never was.
-- KEYS: epoch, sequence, log
-- ARGV: the epoch the caller follows ('0' for none), the last sequence it read in it
local epoch = redis.call('GET', KEYS[1])
local wentBack = epoch == ARGV[1] and tonumber(redis.call('GET', KEYS[2]) or '0') < tonumber(ARGV[2])
if not epoch or wentBack then
  local now = redis.call('TIME')
  local fresh = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  if epoch and fresh <= tonumber(epoch) then
    fresh = tonumber(epoch) + 1
  end
  epoch = string.format('%d', fresh)
  redis.call('SET', KEYS[1], epoch)
  redis.call('DEL', KEYS[2], KEYS[3])
end
return epoch
