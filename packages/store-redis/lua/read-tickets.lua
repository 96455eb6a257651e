-- Reads tickets, each read counting as a sign of life when ARGV[2] is '1'.
-- ARGV: now, touch, then ticket ids. Returns the tickets (see emit) one after another, each
-- unknown one as a single ''.
--
-- A read is the step Redis runs most (every waiting shopper's poll), and from a script each
-- command costs far more than it does to run, so the batch costs a few commands in all
-- besides one GETRANGE per ticket: one HMGET for the join numbers, one BITFIELD for every
-- sign of life, and the gaps ahead of the batch in one ZRANGEBYSCORE while they are few
-- (see gaps_upto).
local now, touch = tonumber(ARGV[1]), ARGV[2] == '1'
local out = {}
if #ARGV < 3 then return out end
local head = head_for_positions()
local seqs = redis.call('HMGET', IDS, unpack(ARGV, 3))
local records, last_rank, ranked = {}, 0, 0
local seen = {}
for k = 1, #seqs do
  local seq = seqs[k]
  if seq then
    local r = rget(tonumber(seq))
    records[k] = r
    if r.st == WAITING then
      if touch then add_seen_write(seen, r.seq, r.joined, now) end
      if r.rank > 0 then ranked = ranked + 1 end
      if r.rank > last_rank then last_rank = r.rank end
    end
  end
end
if #seen > 0 then redis.call('BITFIELD', REC, unpack(seen)) end
local gaps = last_rank > 0 and gaps_upto(head, last_rank, 2 * ranked) or nil
for k = 1, #seqs do
  local r = records[k]
  if r then
    emit(out, r, position_among(r, head, gaps))
  else
    out[#out + 1] = ''
  end
end
return out
