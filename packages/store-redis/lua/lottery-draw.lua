-- Ranks a lottery pre-queue in the drawn order. ARGV: seed, now, the version lottery-read.lua
-- saw, then the seqs in drawn order. Returns { 'OK', size }, { 'NONE' } when there is no
-- pre-queue to draw, or { 'STALE' } when the pre-queue changed since it was read.
local seed, now, version = ARGV[1], ARGV[2], ARGV[3]
local m = redis.call('HMGET', M, 'pq', 'pv')
if not m[1] or tonumber(m[1]) == 0 then return { 'NONE' } end
if m[2] ~= version then return { 'STALE' } end
local size = 0
for k = 4, #ARGV do
  local seq = tonumber(ARGV[k])
  local r = rget(seq)
  if r.st == WAITING and r.rank == 0 then
    assign_rank(seq)
    size = size + 1
  end
end
redis.call('HINCRBY', M, 'pq', -size)
redis.call('DEL', PRE)
redis.call('HSET', M, 'ld', now, 'ls', seed, 'lz', size)
return { 'OK', tostring(size) }
