-- wrk script for bench/api_bench.py: cycle through the request paths given in
-- WRK_PATHS (one per line), each connection starting at a different offset, and print
-- the figures as one "JSON {...}" line at the end. Non-2xx answers and socket errors
-- (connect, read, write, timeout) are counted as errors.
local paths = {}
for p in string.gmatch(os.getenv("WRK_PATHS") or "/api/v1/search?q=法", "[^\n]+") do
  paths[#paths + 1] = p
end

local counter = 0
function setup(thread)
  thread:set("offset", counter * 7)
  counter = counter + 1
end

local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[((offset or 0) + i) % #paths + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  local secs = summary.duration / 1e6
  io.write(string.format(
    'JSON {"requests": %d, "errors": %d, "non_2xx": %d, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, errors, e.status, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
