-- Takes a ticket out of the line, or ends its admission. ARGV: ticket id, now.
-- Returns the ticket (see emit), or {} when it is unknown.
local seq = redis.call('HGET', IDS, ARGV[1])
if not seq then return {} end
local r = rget(tonumber(seq))
finish(r, LEFT, tonumber(ARGV[2]))
return emit({}, r, nil)
