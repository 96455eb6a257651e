-- Admits up to ARGV[1] of the next waiting tickets now, whatever the rate, within maxActive.
-- ARGV: count, now, deadline (see too_late). Returns { 'OK', ids... }, or { reason }.
if too_late(ARGV[3]) then return { 'TOO_LATE' } end
local status = redis.call('HGET', M, 'status')
if not status then return { 'ROOM_NOT_FOUND' } end
if status == 'closed' then return { 'ROOM_CLOSED' } end
local ids = admit_next(tonumber(ARGV[1]), tonumber(ARGV[2]))
table.insert(ids, 1, 'OK')
return ids
