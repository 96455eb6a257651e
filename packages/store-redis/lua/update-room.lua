-- Changes some of a room's settings. ARGV: now, then field, value pairs.
-- Returns 'OK', or 'ROOM_NOT_FOUND'.
if redis.call('EXISTS', M) == 0 then return 'ROOM_NOT_FOUND' end
local fields = { 'ua', ARGV[1] }
for k = 2, #ARGV do fields[#fields + 1] = ARGV[k] end
redis.call('HSET', M, unpack(fields))
return 'OK'
