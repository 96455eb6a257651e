-- Puts new tickets at the end of the line, in the order given, or in the pre-queue of a
-- lottery room before it opens, and records the wait predicted for the position each got.
-- ARGV: now, then perSecond, abandonPerSecond, delaySeconds ('' when no predictor), then the
-- deadline (see too_late), the join limit's window (ms), then for each ticket three values:
-- its id, the join limit's key for its address and the limit ('' and '' when not counted).
-- Returns { 'OK', then for each ticket its ticket (see emit), a single '' for an id already in
-- use, or 'L<ms>' for a join past the limit (the window's time left) }, or { reason } for all.
--
-- The join limit's counts are made here, in the join's step, when the server runs on one
-- Redis node (its keys are not the room's: on a cluster the server counts them first): each
-- join counts, refused or not, in a fixed window that starts with the key's first count,
-- exactly as the limit's own store counts (apps/server, plugins/join-limit-store.ts).
local now = tonumber(ARGV[1])
if too_late(ARGV[5]) then return { 'TOO_LATE' } end
local m = redis.call('HMGET', M, 'status', 'mode', 'oam', 'pq', 'w', 'sq', 'rk', 'jt')
if not m[1] then return { 'ROOM_NOT_FOUND' } end
if m[1] == 'closed' then return { 'ROOM_CLOSED' } end
local early = before_opening(m[3], now)
local pq = tonumber(m[4])
if pq > 0 and not early then return { 'DRAW_PENDING' } end
local pre = m[2] == 'lottery' and early
local seq, waiting, rank, joined = tonumber(m[6]), tonumber(m[5]), tonumber(m[7]), tonumber(m[8])
local rate, lambda, delay = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

-- wait-estimate.ts, secondsToFront: ln(1 + lambda p / r) / lambda, or p / r without departures.
local function predicted(position)
  if not rate or rate <= 0 then return -1 end
  local t
  if lambda > 1e-9 then
    local x = lambda * position / rate
    local u = 1 + x
    local l1p = x
    if u ~= 1 then l1p = math.log(u) * x / (u - 1) end
    t = l1p / lambda
  else
    t = position / rate
  end
  -- Kept as a 32-bit float, like the record: answer with what is stored. A wait beyond the
  -- float's range (a rate of a few shoppers per century) is no number to give: none.
  local kept = struct.unpack('<f', struct.pack('<f', delay + t))
  if kept ~= kept or kept == math.huge then return -1 end
  return kept
end

-- The join limit: each key's joins of the batch counted with one INCRBY; `counted` then
-- goes through them one by one, so that each join gets the count it would have had alone.
local window = tonumber(ARGV[6])
local hits, counted, left = {}, {}, {}
local ids = {}
for k = 7, #ARGV, 3 do
  ids[#ids + 1] = ARGV[k]
  local key = ARGV[k + 1]
  if key ~= '' then hits[key] = (hits[key] or 0) + 1 end
end
for key, n in pairs(hits) do
  counted[key] = redis.call('INCRBY', key, n) - n
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, window)
    ttl = window
  end
  left[key] = ttl
end

-- The batch's new tickets take the next join numbers, so their records lie end to end: one
-- HMGET finds the ids in use, one HSET and one SETRANGE write the rest.
local out = { 'OK' }
local seqs, r2s, records, fields = {}, {}, {}, {}
local first = seq
local in_use = redis.call('HMGET', IDS, unpack(ids))
local taken = {}
for j = 1, #ids do
  local id = ids[j]
  local key = ARGV[5 + 3 * j]
  local over = false
  if key ~= '' then
    counted[key] = counted[key] + 1
    over = counted[key] > tonumber(ARGV[6 + 3 * j])
  end
  if over then
    out[#out + 1] = 'L' .. left[key]
  elseif in_use[j] or taken[id] then
    out[#out + 1] = ''
  else
    taken[id] = true
    waiting = waiting + 1
    joined = joined + 1
    local r = { seq = seq, st = WAITING, id = id, joined = now, seen = 0, adm = NONE32, ttl = 0,
      pw = -1, rank = 0 }
    local position = nil
    if pre then
      pq = pq + 1
    else
      -- The newcomer is last: every ranked waiting ticket is ahead of it.
      position = waiting - pq
      rank = rank + 1
      r.rank = rank
      r2s[#r2s + 1] = 'SET'; r2s[#r2s + 1] = 'u32'; r2s[#r2s + 1] = rank * 32; r2s[#r2s + 1] = seq
      r.pw = predicted(position)
    end
    records[#records + 1] = rpack(r)
    fields[#fields + 1] = id
    fields[#fields + 1] = seq
    seqs[#seqs + 1] = seq
    emit(out, r, position)
    seq = seq + 1
  end
end

if #seqs > 0 then
  redis.call('HSET', IDS, unpack(fields))
  redis.call('SETRANGE', REC, first * RS, table.concat(records))
  if pre then
    redis.call('RPUSH', PRE, unpack(seqs))
    redis.call('HINCRBY', M, 'pv', #seqs)
    redis.call('HSET', M, 'sq', seq, 'w', waiting, 'jt', joined, 'pq', pq)
  else
    redis.call('BITFIELD', R2S, unpack(r2s))
    redis.call('HSET', M, 'sq', seq, 'w', waiting, 'jt', joined, 'rk', rank)
  end
  wheel_put_all(seqs, now)
end
return out
