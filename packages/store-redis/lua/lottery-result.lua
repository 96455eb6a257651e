-- The room's last lottery draw, as published. Returns {} when it has none, else
-- { drawnAt, seed, id, id, ... } with the ids the draw ranked, in the drawn order.
local m = redis.call('HMGET', M, 'ld', 'ls')
if not m[1] then return {} end
local out = { m[1], m[2] }
for _, id in ipairs(redis.call('LRANGE', LOT, 0, -1)) do out[#out + 1] = id end
return out
