-- Ranks a lottery pre-queue in the drawn order and keeps the ids it ranked, in that order, in
-- `lot` (the published draw). ARGV: seed, now, the version lottery-read.lua saw, then the seqs
-- in drawn order. Returns { 'OK', size }, { 'NONE' } when there is no pre-queue to draw, or
-- { 'STALE' } when the pre-queue or the seed held changed since it was read.
local seed, now, version = ARGV[1], ARGV[2], ARGV[3]
local m = redis.call('HMGET', M, 'pq', 'pv', 'lsd')
if not m[1] or tonumber(m[1]) == 0 then return { 'NONE' } end
if m[2] ~= version or m[3] ~= seed then return { 'STALE' } end
local size = 0
local ids = {}
redis.call('DEL', LOT)
for k = 4, #ARGV do
  local seq = tonumber(ARGV[k])
  local r = rget(seq)
  if r.st == WAITING and r.rank == 0 then
    assign_rank(seq)
    size = size + 1
    ids[#ids + 1] = r.id
    if #ids == 1000 then
      redis.call('RPUSH', LOT, unpack(ids))
      ids = {}
    end
  end
end
if #ids > 0 then redis.call('RPUSH', LOT, unpack(ids)) end
redis.call('HINCRBY', M, 'pq', -size)
redis.call('DEL', PRE)
redis.call('HSET', M, 'ld', now, 'ls', seed, 'lz', size)
return { 'OK', tostring(size) }
