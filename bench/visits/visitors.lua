-- wrk script for bench/visits/run.py: every request from one of 500 browser user agents in turn (500 visitors, as
-- far as the visit counter can tell), and the page cache's answers counted (X-Page-Cache: hit / miss).
-- Prints P50/P95/P99 in microseconds and HITS/MISSES for run.py to read.
local threads = {}
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

init = function(args)
  n = id * 250
  hits = 0
  misses = 0
end

request = function()
  n = n + 1
  local agent = string.format(
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.%d.0 Safari/537.36",
    n % 500)
  return wrk.format("GET", nil, {["User-Agent"] = agent})
end

response = function(status, headers, body)
  local state = headers["X-Page-Cache"]
  if state == "hit" then hits = hits + 1 elseif state == "miss" then misses = misses + 1 end
end

done = function(summary, latency, requests)
  local h, m = 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
  end
  io.write(string.format("P50 %d\nP95 %d\nP99 %d\n", latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  io.write(string.format("HITS %d\nMISSES %d\n", h, m))
end
