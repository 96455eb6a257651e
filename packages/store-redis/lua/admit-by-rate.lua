-- Admits what the rate allows since the last call by any instance (queue-store.ts,
-- admitByRate). ARGV: now, burstSeconds. Returns { 'OK', ids... }, or { reason }.
local now, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local m = redis.call('HMGET', M, 'status', 'oam', 'pq', 'rate', 'cr', 'cat')
if not m[1] then return { 'ROOM_NOT_FOUND' } end
local rate = tonumber(m[4])
local last = m[6] ~= '' and tonumber(m[6]) or nil
-- Credit time never goes back, so that instances whose clocks differ a little cannot count
-- the same interval twice.
local at = now
if last and last > now then at = last end
if m[1] ~= 'open' or before_opening(m[2], now) or tonumber(m[3]) > 0 or not (rate > 0) then
  redis.call('HSET', M, 'cr', 0, 'cat', num(at))
  if m[1] == 'closed' then return { 'ROOM_CLOSED' } end
  return { 'OK' }
end
local per_ms = rate / 60000
local cap = per_ms * burst * 1000 + 1
local since = 0
if last then since = math.max(0, now - last) end
local credit = math.min(cap, tonumber(m[5]) + since * per_ms)
local ids = admit_next(math.floor(credit + 1e-9), now)
credit = math.max(0, credit - #ids)
redis.call('HSET', M, 'cr', num(credit), 'cat', num(at))
table.insert(ids, 1, 'OK')
return ids
