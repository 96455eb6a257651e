-- Puts a new ticket at the end of the line, or in the pre-queue of a lottery room before it
-- opens, and records the wait predicted for the position it got.
-- ARGV: ticket id, now, then perSecond, abandonPerSecond, delaySeconds ('' when no predictor),
-- then the deadline (see too_late). Returns { 'OK', ticket... } (see emit), or { reason }.
local id, now = ARGV[1], tonumber(ARGV[2])
if too_late(ARGV[6]) then return { 'TOO_LATE' } end
local m = redis.call('HMGET', M, 'status', 'mode', 'oam', 'pq', 'w', 'sq', 'rk', 'jt')
if not m[1] then return { 'ROOM_NOT_FOUND' } end
if m[1] == 'closed' then return { 'ROOM_CLOSED' } end
local early = before_opening(m[3], now)
local pq = tonumber(m[4])
if pq > 0 and not early then return { 'DRAW_PENDING' } end
local seq = tonumber(m[6])
if redis.call('HSETNX', IDS, id, seq) == 0 then return redis.error_reply('ticket id already in use') end
local waiting = tonumber(m[5]) + 1
local r = { seq = seq, st = WAITING, id = id, joined = now, seen = 0, adm = NONE32, ttl = 0,
  pw = -1, rank = 0 }
local position = nil
if m[2] == 'lottery' and early then
  redis.call('RPUSH', PRE, seq)
  redis.call('HINCRBY', M, 'pq', 1)
  redis.call('HINCRBY', M, 'pv', 1)
  redis.call('HSET', M, 'sq', seq + 1, 'w', waiting, 'jt', tonumber(m[8]) + 1)
else
  -- The newcomer is last: every ranked waiting ticket is ahead of it.
  position = waiting - pq
  r.rank = tonumber(m[7]) + 1
  fw_push(r.rank)
  redis.call('BITFIELD', R2S, 'SET', 'u32', '#' .. r.rank, seq)
  redis.call('HSET', M, 'sq', seq + 1, 'w', waiting, 'jt', tonumber(m[8]) + 1, 'rk', r.rank)
end
if position and ARGV[3] ~= '' then
  local rate, lambda, delay = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
  -- wait-estimate.ts, secondsToFront: ln(1 + lambda p / r) / lambda, or p / r without departures.
  local t = nil
  if rate > 0 then
    if lambda > 1e-9 then
      local x = lambda * position / rate
      local u = 1 + x
      local l1p = x
      if u ~= 1 then l1p = math.log(u) * x / (u - 1) end
      t = l1p / lambda
    else
      t = position / rate
    end
  end
  -- Kept as a 32-bit float, like the record: answer with what is stored.
  if t then r.pw = struct.unpack('<f', struct.pack('<f', delay + t)) end
end
rput(r)
wheel_put(seq, now)
return emit({ 'OK' }, r, position)
