-- The library every step of this store uses (scripts.ts puts it in front of each step, or
-- loads it once as a Redis function library). Every step takes one key, the room's base
-- `<prefix>{<roomId>}:`, and uses the keys below it, which share the room's hash tag and so
-- live in one cluster slot (`bind` names them):
--
--   m    hash    settings, counters, rate credit, cursors
--   ids  hash    ticket id -> join number (seq, from 0)
--   rec  string  one fixed 46-byte record per ticket, at seq * 46 (see FMT)
--   gp   zset    gaps: the ranks at or after the head (m.hd) whose ticket left the line
--                other than by admission (left, abandoned), each scored by its rank
--   r2s  string  rank -> seq (u32 at #rank)
--   pre  list    seqs of a lottery pre-queue not drawn yet
--   hbi  zset    heartbeat wheel: the seconds that have a bucket; a bucket is the list
--                hbi:<second> of the waiting tickets last seen in that second
--   exp  zset    admitted seqs by the time their admission ends
--   acc  list    the latest predicted,actual wait pairs (seconds)
--   lot  list    the ticket ids the last lottery draw ranked, in the drawn order
--
-- The room's lottery lives in m: `lsd` the secret seed held for the next (or the last) draw,
-- `ld`, `ls`, `lz` the last draw's time, seed and size.
local M, IDS, REC, GP, R2S, PRE, HBI, EXP, ACC, LOT, OLD_FW

local function bind(keys)
  local base = keys[1]
  M, IDS, REC, GP, R2S = base .. 'm', base .. 'ids', base .. 'rec', base .. 'gp', base .. 'r2s'
  PRE, HBI, EXP, ACC = base .. 'pre', base .. 'hbi', base .. 'exp', base .. 'acc'
  LOT, OLD_FW = base .. 'lot', base .. 'fw'
end

local WAITING, ADMITTED, ABANDONED, COMPLETED, LEFT, ADMISSION_EXPIRED = 0, 1, 2, 3, 4, 5
local COUNTER_OF = { [ABANDONED] = 'abt', [COMPLETED] = 'ct', [LEFT] = 'lt', [ADMISSION_EXPIRED] = 'aet' }

-- A record: state, id length, id (padded to 16 bytes), joinedAt (epoch ms), then offsets
-- from joinedAt in ms: last sign of life (the end, once out of line), admission; the
-- admission's length in ms; the predicted wait (-1: none); the rank (0: not ranked yet).
local FMT = '<BBc16dI4I4I4fI4'
-- The record from joinedAt on (byte 18, position 19 for struct.unpack), for a reader that
-- already knows the id: joinedAt, last sign of life, admission, its length, predicted wait, rank.
local TAIL_FMT, TAIL_AT = '<dI4I4I4fI4', 19
local RS = 46
local ID_MAX = 16
local NONE32 = 4294967295
local ACCURACY_KEPT = 1024

local function num(x)
  return string.format('%.17g', x)
end

local function offset_ms(now, from)
  local d = math.floor(now - from)
  if d < 0 then return 0 end
  if d >= NONE32 then return NONE32 - 1 end
  return d
end

local function rget(seq)
  local raw = redis.call('GETRANGE', REC, seq * RS, seq * RS + RS - 1)
  local st, idl, id, joined, seen, adm, ttl, pw, rank = struct.unpack(FMT, raw)
  return { seq = seq, st = st, id = string.sub(id, 1, idl), joined = joined, seen = seen,
           adm = adm, ttl = ttl, pw = pw, rank = rank }
end

local function rpack(r)
  return struct.pack(FMT, r.st, #r.id, r.id .. string.rep('\0', ID_MAX - #r.id), r.joined, r.seen,
    r.adm, r.ttl, r.pw, r.rank)
end

local function rput(r)
  redis.call('SETRANGE', REC, r.seq * RS, rpack(r))
end

local function set_state(seq, st)
  redis.call('SETRANGE', REC, seq * RS, string.char(st))
end

local function set_seen(seq, joined, now)
  redis.call('SETRANGE', REC, seq * RS + 26, struct.pack('<I4', offset_ms(now, joined)))
end

-- ---- ranks and gaps -----------------------------------------------------------------------
--
-- Every ranked ticket has a rank (1, 2, ...) in line order. The head `hd` is the first rank
-- the admission has not passed yet: every rank before it was admitted or had left. From the
-- head on, a rank is either a waiting ticket or a gap (its ticket left or was abandoned
-- while waiting), and the gaps are kept in the sorted set `gp`. So the position of the
-- waiting ticket at rank r is the ranks from the head to r less the gaps among them: one
-- ZCOUNT, O(log g) in the g gaps ahead of the head, instead of a prefix sum over a tree.
-- Gaps the head has passed are dropped as it passes them.

-- Rooms made before the gaps were kept (layout 1, a Fenwick tree in `fw`) get their gaps
-- from the records once, at their first read: the ranks from the head on whose ticket is
-- not waiting. The rank index and the records are read a few thousand at a time with
-- GETRANGE and picked apart in Lua (a command per rank would take seconds for a long line).
local LAYOUT = '2'
local UPGRADE_STEP = 4096

local function upgrade_layout(head, ranks)
  for from = head, ranks, UPGRADE_STEP do
    local to = math.min(ranks, from + UPGRADE_STEP - 1)
    -- r2s holds each rank's seq as a big-endian u32 (BITFIELD's order).
    local index = redis.call('GETRANGE', R2S, from * 4, to * 4 + 3)
    local seqs, low, high = {}, nil, nil
    for k = 1, to - from + 1 do
      local b1, b2, b3, b4 = string.byte(index, 4 * k - 3, 4 * k)
      local seq = ((b1 * 256 + b2) * 256 + b3) * 256 + b4
      seqs[k] = seq
      if low == nil or seq < low then low = seq end
      if high == nil or seq > high then high = seq end
    end
    local gaps = {}
    local function gap(k)
      gaps[#gaps + 1] = from + k - 1
      gaps[#gaps + 1] = from + k - 1
    end
    if high - low < 4 * #seqs then
      -- Seqs close together (a line in join order): their records in one read.
      local recs = redis.call('GETRANGE', REC, low * RS, high * RS + RS - 1)
      for k = 1, #seqs do
        if string.byte(recs, (seqs[k] - low) * RS + 1) ~= WAITING then gap(k) end
      end
    else
      -- Seqs far apart (a drawn lottery): each record's state byte.
      local args = {}
      for k = 1, #seqs do
        args[#args + 1] = 'GET'; args[#args + 1] = 'u8'; args[#args + 1] = seqs[k] * RS * 8
      end
      local states = redis.call('BITFIELD', REC, unpack(args))
      for k = 1, #states do
        if states[k] ~= WAITING then gap(k) end
      end
    end
    for g = 1, #gaps, 2000 do
      redis.call('ZADD', GP, unpack(gaps, g, math.min(#gaps, g + 1999)))
    end
  end
  redis.call('DEL', OLD_FW)
  redis.call('HSET', M, 'lv', LAYOUT)
end

-- The head, for positions (upgrading a room of layout 1 first).
local function head_for_positions()
  local m = redis.call('HMGET', M, 'hd', 'lv', 'rk')
  local head = tonumber(m[1])
  if head and m[2] ~= LAYOUT then upgrade_layout(head, tonumber(m[3])) end
  return head
end

-- Gives the ticket `seq` the next rank at the end of the line; returns the rank.
local function assign_rank(seq)
  local rank = redis.call('HINCRBY', M, 'rk', 1)
  redis.call('BITFIELD', R2S, 'SET', 'u32', rank * 32, seq)
  redis.call('SETRANGE', REC, seq * RS + 42, struct.pack('<I4', rank))
  return rank
end

-- ---- the heartbeat wheel ----------------------------------------------------------------

local function wheel_put(seq, at)
  local b = math.floor(at / 1000)
  redis.call('RPUSH', HBI .. ':' .. b, seq)
  redis.call('ZADD', HBI, b, b)
end

-- The same for many tickets seen at the same moment (at most a few thousand: unpack's limit).
local function wheel_put_all(seqs, at)
  local b = math.floor(at / 1000)
  redis.call('RPUSH', HBI .. ':' .. b, unpack(seqs))
  redis.call('ZADD', HBI, b, b)
end

-- ---- tickets ----------------------------------------------------------------------------

-- The gaps from the head to rank `last`, in order, when there are at most `most` of them;
-- nil when there are more (each position then takes a ZCOUNT of its own). Bringing a gap into
-- Lua costs about half of what a ZCOUNT does, so a batch of n reads takes its gaps at once
-- only while they are at most about 2n: a line with hundreds of leavers ahead is read with a
-- ZCOUNT a ticket, not with hundreds of gaps brought in for a few reads.
local function gaps_upto(head, last, most)
  local count = redis.call('ZCOUNT', GP, head, last)
  if count == 0 then return {} end
  if count > most then return nil end
  local found = redis.call('ZRANGEBYSCORE', GP, head, last)
  for k = 1, #found do found[k] = tonumber(found[k]) end
  return found
end

-- The position of a waiting ticket of rank `rank`, given the head (head_for_positions) and,
-- if known, the gaps up to its rank at least (gaps_upto); nil for any other ticket.
local function position_at(st, rank, head, gaps)
  if st ~= WAITING or rank == 0 then return nil end
  local ahead = rank - head + 1
  if gaps == nil then return ahead - redis.call('ZCOUNT', GP, head, rank) end
  -- Gaps at or before the rank: a binary search in the sorted list.
  local lo, hi = 0, #gaps
  while lo < hi do
    local mid = math.floor((lo + hi + 1) / 2)
    if gaps[mid] <= rank then lo = mid else hi = mid - 1 end
  end
  return ahead - lo
end

-- A number as the store writes it: a whole number of milliseconds with %d (half the cost of
-- %.17g, and the same text), anything else exactly with %.17g.
local function ms(x)
  if x == math.floor(x) and x < 1e15 and x > -1e15 then return string.format('%d', x) end
  return num(x)
end

local STATE_TEXT = { [0] = '0', '1', '2', '3', '4', '5' }

-- A ticket as the store returns it, one string appended to `out`: state, position,
-- joinedAt, admittedAt, admissionExpiresAt, predicted wait (each '' for none), then the id,
-- comma-separated (the id last, since it may hold commas). One string rather than seven
-- costs Redis and the client's parser less for every ticket read; it is made with one
-- concatenation, numbers turned into text by string.format (a read batch's main cost in Lua).
local function emit_fields(out, st, id, joined, adm, ttl, pw, position)
  local adm_text, ends_text = '', ''
  if adm ~= NONE32 then
    adm_text = ms(joined + adm)
    ends_text = ms(joined + adm + ttl)
  end
  local pos_text = position and string.format('%d', position) or ''
  local pw_text = pw >= 0 and num(pw) or ''
  out[#out + 1] = (STATE_TEXT[st] or tostring(st)) .. ',' .. pos_text .. ',' .. ms(joined) .. ',' ..
    adm_text .. ',' .. ends_text .. ',' .. pw_text .. ',' .. id
  return out
end

local function emit(out, r, position)
  return emit_fields(out, r.st, r.id, r.joined, r.adm, r.ttl, r.pw, position)
end

-- Takes a ticket out of the waiting line or out of the active set, into state `to`.
local function finish(r, to, now)
  if r.st == WAITING then
    if r.rank > 0 then
      redis.call('ZADD', GP, r.rank, r.rank)
    else
      redis.call('HINCRBY', M, 'pq', -1)
    end
    redis.call('HINCRBY', M, 'w', -1)
  elseif r.st == ADMITTED then
    redis.call('HINCRBY', M, 'a', -1)
    redis.call('ZREM', EXP, r.seq)
  else
    return false
  end
  r.st = to
  set_state(r.seq, to)
  set_seen(r.seq, r.joined, now)
  redis.call('HINCRBY', M, COUNTER_OF[to], 1)
  return true
end

-- ---- admission --------------------------------------------------------------------------

-- Admits up to `count` of the next ranked waiting tickets, within maxActive; returns their ids.
local function admit_next(count, now)
  local m = redis.call('HMGET', M, 'maxActive', 'a', 'w', 'pq', 'ttl', 'hd', 'rk')
  local n = math.min(count, tonumber(m[3]) - tonumber(m[4]))
  if m[1] ~= '' then n = math.min(n, math.max(0, tonumber(m[1]) - tonumber(m[2]))) end
  local ids = {}
  if n <= 0 then return ids end
  local ttl = tonumber(m[5]) * 1000
  local head, ranks = tonumber(m[6]), tonumber(m[7])
  local samples = {}
  local passed_gap = false
  while #ids < n and head <= ranks do
    local seq = redis.call('BITFIELD', R2S, 'GET', 'u32', head * 32)[1]
    local r = rget(seq)
    if r.st == WAITING then
      r.st = ADMITTED
      r.adm = offset_ms(now, r.joined)
      r.ttl = ttl
      rput(r)
      redis.call('ZADD', EXP, r.joined + r.adm + ttl, seq)
      ids[#ids + 1] = r.id
      if r.pw >= 0 then samples[#samples + 1] = num(r.pw) .. ',' .. num(r.adm / 1000) end
    else
      passed_gap = true
    end
    head = head + 1
  end
  local k = #ids
  redis.call('HSET', M, 'hd', head)
  if passed_gap then redis.call('ZREMRANGEBYSCORE', GP, '-inf', '(' .. head) end
  if k > 0 then
    redis.call('HINCRBY', M, 'w', -k)
    redis.call('HINCRBY', M, 'a', k)
    redis.call('HINCRBY', M, 'adt', k)
  end
  if #samples > 0 then
    for s = 1, #samples, 1000 do
      redis.call('RPUSH', ACC, unpack(samples, s, math.min(#samples, s + 999)))
    end
    redis.call('LTRIM', ACC, -ACCURACY_KEPT, -1)
  end
  return ids
end

local function before_opening(oam, now)
  return oam ~= '' and now < tonumber(oam)
end

-- A caller that gave up waiting (its command timeout passed while Redis was slow or paused)
-- has told its client the step failed: then the step must not happen late. `deadline` is in
-- Redis's own clock (ms), or '' for no deadline.
local function too_late(deadline)
  if deadline == nil or deadline == '' then return false end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(deadline)
end
