-- Abandons waiting tickets silent for heartbeatTimeoutSeconds and ends admissions that ran
-- out. ARGV: now, budget (tickets to look at before returning). Returns
-- { abandoned, admissionsExpired, more } where more = 1 when the budget ran out first.
local now, budget = tonumber(ARGV[1]), tonumber(ARGV[2])
local hbt = redis.call('HGET', M, 'hbt')
if not hbt then return { 0, 0, 0 } end
local cutoff = now - tonumber(hbt) * 1000
local last_bucket = math.floor(cutoff / 1000)
local abandoned, expired, work, more = 0, 0, 0, 0
-- Each waiting ticket sits in the bucket of the second it was last put in the wheel; a sign
-- of life only updates its record, and the sweep moves it on when it comes to that bucket.
local buckets = redis.call('ZRANGEBYSCORE', HBI, '-inf', last_bucket, 'LIMIT', 0, 64)
for _, b in ipairs(buckets) do
  if work >= budget then more = 1; break end
  local key = HBI .. ':' .. b
  local seqs = redis.call('LRANGE', key, 0, -1)
  redis.call('DEL', key)
  redis.call('ZREM', HBI, b)
  work = work + #seqs
  for _, s in ipairs(seqs) do
    local seq = tonumber(s)
    local st, _, _, joined, seen = struct.unpack('<BBc16dI4',
      redis.call('GETRANGE', REC, seq * RS, seq * RS + 29))
    if st == WAITING then
      local seen_at = joined + seen
      if seen_at <= cutoff then
        finish(rget(seq), ABANDONED, now)
        abandoned = abandoned + 1
      else
        wheel_put(seq, seen_at)
      end
    end
  end
end
if #buckets == 64 then more = 1 end
local due = redis.call('ZRANGEBYSCORE', EXP, '-inf', now, 'LIMIT', 0, math.max(1, budget - work))
for _, s in ipairs(due) do
  local r = rget(tonumber(s))
  if r.st == ADMITTED then
    finish(r, ADMISSION_EXPIRED, now)
    expired = expired + 1
  else
    redis.call('ZREM', EXP, s)
  end
end
if #due >= math.max(1, budget - work) then more = 1 end
return { abandoned, expired, more }
