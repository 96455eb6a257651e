-- The live tickets of a lottery pre-queue and the seed the room holds, for drawing their order
-- (lottery.ts needs SHA-256, which scripts lack). Returns { version, seed ('' for none), seq,
-- id, seq, id, ... }; lottery-draw.lua applies the order only if the pre-queue is still at
-- that version and the seed is still the one held.
local m = redis.call('HMGET', M, 'pv', 'lsd')
local pv = m[1]
if not pv then return { '' } end
local out = { pv, m[2] or '' }
for _, s in ipairs(redis.call('LRANGE', PRE, 0, -1)) do
  local r = rget(tonumber(s))
  if r.st == WAITING and r.rank == 0 then
    out[#out + 1] = s
    out[#out + 1] = r.id
  end
end
return out
