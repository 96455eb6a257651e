-- The library every step of this store uses (scripts.ts puts it in front of each step, or
-- loads it once as a Redis function library). Every step takes one key, the room's base
-- `<prefix>{<roomId>}:`, and uses the keys below it, which share the room's hash tag and so
-- live in one cluster slot (`bind` names them):
--
--   m    hash    settings, counters, rate credit, cursors
--   ids  hash    ticket id -> join number (seq, from 0)
--   rec  string  one fixed 46-byte record per ticket, at seq * 46 (see FMT)
--   fw   string  Fenwick tree of live waiting tickets over ranks (u32 at #rank, from 1)
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
local M, IDS, REC, FW, R2S, PRE, HBI, EXP, ACC, LOT

local function bind(keys)
  local base = keys[1]
  M, IDS, REC, FW, R2S = base .. 'm', base .. 'ids', base .. 'rec', base .. 'fw', base .. 'r2s'
  PRE, HBI, EXP, ACC = base .. 'pre', base .. 'hbi', base .. 'exp', base .. 'acc'
  LOT = base .. 'lot'
end

local WAITING, ADMITTED, ABANDONED, COMPLETED, LEFT, ADMISSION_EXPIRED = 0, 1, 2, 3, 4, 5
local COUNTER_OF = { [ABANDONED] = 'abt', [COMPLETED] = 'ct', [LEFT] = 'lt', [ADMISSION_EXPIRED] = 'aet' }

-- A record: state, id length, id (padded to 16 bytes), joinedAt (epoch ms), then offsets
-- from joinedAt in ms: last sign of life (the end, once out of line), admission; the
-- admission's length in ms; the predicted wait (-1: none); the rank (0: not ranked yet).
local FMT = '<BBc16dI4I4I4fI4'
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

local function rput(r)
  redis.call('SETRANGE', REC, r.seq * RS, struct.pack(FMT, r.st, #r.id,
    r.id .. string.rep('\0', ID_MAX - #r.id), r.joined, r.seen, r.adm, r.ttl, r.pw, r.rank))
end

local function set_state(seq, st)
  redis.call('SETRANGE', REC, seq * RS, string.char(st))
end

local function set_seen(seq, joined, now)
  redis.call('SETRANGE', REC, seq * RS + 26, struct.pack('<I4', offset_ms(now, joined)))
end

-- ---- the Fenwick tree over ranks --------------------------------------------------------

local function lowbit(i)
  return bit.band(i, -i)
end

local function sum_of(reply)
  local s = 0
  for k = 1, #reply do s = s + reply[k] end
  return s
end

-- Live waiting tickets with a rank of at most r: the position of the ticket at rank r.
local function fw_prefix(r)
  local args = {}
  local i = r
  while i > 0 do
    local n = #args
    args[n + 1] = 'GET'; args[n + 2] = 'u32'; args[n + 3] = i * 32
    i = i - lowbit(i)
  end
  if #args == 0 then return 0 end
  return sum_of(redis.call('BITFIELD', FW, unpack(args)))
end

local function fw_add(r, delta, ranks)
  local args = {}
  local i = r
  while i <= ranks do
    local n = #args
    args[n + 1] = 'INCRBY'; args[n + 2] = 'u32'; args[n + 3] = i * 32; args[n + 4] = delta
    i = i + lowbit(i)
  end
  if #args > 0 then redis.call('BITFIELD', FW, unpack(args)) end
end

-- Appends rank i (= ranks + 1) holding one live ticket: the node covers (i - lowbit(i), i].
local function fw_push(i)
  local args = {}
  local j = i - 1
  local low = i - lowbit(i)
  while j > low do
    local n = #args
    args[n + 1] = 'GET'; args[n + 2] = 'u32'; args[n + 3] = j * 32
    j = j - lowbit(j)
  end
  local v = 1
  if #args > 0 then v = v + sum_of(redis.call('BITFIELD', FW, unpack(args))) end
  redis.call('BITFIELD', FW, 'SET', 'u32', i * 32, v)
end

local function ranks_count()
  return tonumber(redis.call('HGET', M, 'rk'))
end

-- Gives the ticket `seq` the next rank at the end of the line; returns the rank.
local function assign_rank(seq)
  local rank = redis.call('HINCRBY', M, 'rk', 1)
  fw_push(rank)
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

local function position_of(r)
  if r.st ~= WAITING or r.rank == 0 then return nil end
  return fw_prefix(r.rank)
end

-- A ticket as the store returns it: id, state, position, joinedAt, admittedAt,
-- admissionExpiresAt, predicted wait ('' for none), appended to `out`.
local function emit(out, r, position)
  out[#out + 1] = r.id
  out[#out + 1] = tostring(r.st)
  out[#out + 1] = position and tostring(position) or ''
  out[#out + 1] = num(r.joined)
  if r.adm == NONE32 then
    out[#out + 1] = ''
    out[#out + 1] = ''
  else
    out[#out + 1] = num(r.joined + r.adm)
    out[#out + 1] = num(r.joined + r.adm + r.ttl)
  end
  out[#out + 1] = r.pw >= 0 and num(r.pw) or ''
  return out
end

-- Takes a ticket out of the waiting line or out of the active set, into state `to`.
local function finish(r, to, now)
  if r.st == WAITING then
    if r.rank > 0 then
      fw_add(r.rank, -1, ranks_count())
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
  while #ids < n and head <= ranks do
    local seq = redis.call('BITFIELD', R2S, 'GET', 'u32', head * 32)[1]
    local r = rget(seq)
    if r.st == WAITING then
      r.st = ADMITTED
      r.adm = offset_ms(now, r.joined)
      r.ttl = ttl
      rput(r)
      fw_add(head, -1, ranks)
      redis.call('ZADD', EXP, r.joined + r.adm + ttl, seq)
      ids[#ids + 1] = r.id
      if r.pw >= 0 then samples[#samples + 1] = num(r.pw) .. ',' .. num(r.adm / 1000) end
    end
    head = head + 1
  end
  local k = #ids
  redis.call('HSET', M, 'hd', head)
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
