-- Reads tickets, each read counting as a sign of life when ARGV[2] is '1'.
-- ARGV: now, touch, then ticket ids. Returns the tickets (see emit) one after another, each
-- unknown one as a single ''.
local now, touch = tonumber(ARGV[1]), ARGV[2] == '1'
local out = {}
for k = 3, #ARGV do
  local seq = redis.call('HGET', IDS, ARGV[k])
  if seq then
    local r = rget(tonumber(seq))
    if touch and r.st == WAITING then set_seen(r.seq, r.joined, now) end
    emit(out, r, position_of(r))
  else
    out[#out + 1] = ''
  end
end
return out
