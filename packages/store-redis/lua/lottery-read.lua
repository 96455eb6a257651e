-- The live tickets of a lottery pre-queue, for drawing their order (lottery.ts needs SHA-256,
-- which scripts lack). Returns { version, seq, id, seq, id, ... }; lottery-draw.lua applies
-- the order only if the pre-queue is still at that version.
local pv = redis.call('HGET', M, 'pv')
if not pv then return { '' } end
local out = { pv }
for _, s in ipairs(redis.call('LRANGE', PRE, 0, -1)) do
  local r = rget(tonumber(s))
  if r.st == WAITING and r.rank == 0 then
    out[#out + 1] = s
    out[#out + 1] = r.id
  end
end
return out
