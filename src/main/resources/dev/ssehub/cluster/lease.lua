-- Takes or keeps a lease for one holder: true when the caller holds it for the next ARGV[2] milliseconds.
-- KEYS: lease; ARGV: holder, milliseconds
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
