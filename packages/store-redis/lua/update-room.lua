-- Changes some of a room's settings. ARGV: now, a lottery seed ('' for none), then field,
-- value pairs. The seed is held only when the room holds none, or holds the seed of a draw
-- already made and is before its opening again (QueueStore.updateRoom).
-- Returns 'OK', or 'ROOM_NOT_FOUND'.
if redis.call('EXISTS', M) == 0 then return 'ROOM_NOT_FOUND' end
local fields = { 'ua', ARGV[1] }
for k = 3, #ARGV do fields[#fields + 1] = ARGV[k] end
redis.call('HSET', M, unpack(fields))
if ARGV[2] ~= '' then
  local l = redis.call('HMGET', M, 'lsd', 'ld', 'ls', 'oam')
  local held = l[1]
  if not held or (l[2] and l[3] == held and before_opening(l[4] or '', tonumber(ARGV[1]))) then
    redis.call('HSET', M, 'lsd', ARGV[2])
  end
end
return 'OK'
