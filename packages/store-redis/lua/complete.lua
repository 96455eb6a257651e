-- Marks an admitted ticket's admission as used by an order. ARGV: ticket id, now.
-- Returns { 'OK', ticket... }, or { reason }.
local now = tonumber(ARGV[2])
local seq = redis.call('HGET', IDS, ARGV[1])
if not seq then return { 'NOT_FOUND' } end
local r = rget(tonumber(seq))
if r.st == COMPLETED then return { 'ALREADY_COMPLETED' } end
if r.st == ADMISSION_EXPIRED or (r.st == ADMITTED and r.joined + r.adm + r.ttl <= now) then
  return { 'ADMISSION_EXPIRED' }
end
if r.st ~= ADMITTED then return { 'NOT_ADMITTED' } end
finish(r, COMPLETED, now)
return emit({ 'OK' }, r, nil)
