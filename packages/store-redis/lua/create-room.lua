-- Creates a room. ARGV: now, the lottery seed to hold ('' for none), then the settings as
-- field, value pairs. Returns 'OK', or 'ROOM_EXISTS'.
if redis.call('EXISTS', M) == 1 then return 'ROOM_EXISTS' end
local now = ARGV[1]
local fields = { 'ca', now, 'ua', now, 'w', 0, 'pq', 0, 'a', 0, 'jt', 0, 'adt', 0, 'abt', 0,
  'lt', 0, 'ct', 0, 'aet', 0, 'cr', 0, 'cat', '', 'hd', 1, 'sq', 0, 'rk', 0, 'pv', 0,
  'lv', LAYOUT }
if ARGV[2] ~= '' then
  fields[#fields + 1] = 'lsd'
  fields[#fields + 1] = ARGV[2]
end
for k = 3, #ARGV do fields[#fields + 1] = ARGV[k] end
redis.call('HSET', M, unpack(fields))
return 'OK'
