-- Reads tickets, each read counting as a sign of life when ARGV[2] is '1'.
-- ARGV: now, touch, then ticket ids. Returns the tickets (see emit) one after another, each
-- unknown one as a single ''.
--
-- A read is the step Redis runs most (every waiting shopper's poll), and from a script each
-- command costs far more than it does to run, so the batch costs a few commands in all
-- besides a GETRANGE per ticket and a SETRANGE per sign of life: one HMGET for the join
-- numbers, and the gaps ahead of the batch in one ZRANGEBYSCORE while they are few
-- (see gaps_upto). In Lua, a table of each record's fields and the text of its numbers cost
-- as much again as the commands: each record is read once and picked apart once.
local now, touch = tonumber(ARGV[1]), ARGV[2] == '1'
local out = {}
if #ARGV < 3 then return out end
local head = head_for_positions()
local seqs = redis.call('HMGET', IDS, unpack(ARGV, 3))
-- First pass: each record as it is stored, its sign of life written (one SETRANGE each: on
-- the machine measured, cheaper than one BITFIELD of four arguments a ticket), the last rank.
-- A record is picked apart once, in the second pass, without a table of its fields.
local raws, last_rank, ranked = {}, 0, 0
for k = 1, #seqs do
  local seq = seqs[k]
  if seq then
    seq = tonumber(seq)
    local raw = redis.call('GETRANGE', REC, seq * RS, seq * RS + RS - 1)
    raws[k] = raw
    if string.byte(raw, 1) == WAITING then
      -- joinedAt at byte 18 of the record, the rank at byte 42 (FMT).
      if touch then set_seen(seq, (struct.unpack('<d', raw, TAIL_AT)), now) end
      local rank = struct.unpack('<I4', raw, 43)
      if rank > 0 then
        ranked = ranked + 1
        if rank > last_rank then last_rank = rank end
      end
    end
  else
    raws[k] = false
  end
end
local gaps = last_rank > 0 and gaps_upto(head, last_rank, 2 * ranked) or nil
for k = 1, #seqs do
  local raw = raws[k]
  if raw then
    -- The id is the one asked for (it found this record): only the fields after it are read.
    local st = string.byte(raw, 1)
    local joined, _, adm, ttl, pw, rank = struct.unpack(TAIL_FMT, raw, TAIL_AT)
    emit_fields(out, st, ARGV[k + 2], joined, adm, ttl, pw, position_at(st, rank, head, gaps))
  else
    out[#out + 1] = ''
  end
end
return out
