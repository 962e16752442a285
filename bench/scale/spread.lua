-- wrk script for run.py --spread: cycle through the addresses listed in the file PATHS_FILE (one a line), each
-- thread from its own starting point, and count the page cache's answers (X-Page-Cache: hit / miss).
-- Prints P50/P95/P99 in microseconds and HITS/MISSES for run.py to read.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  if #line > 0 then table.insert(paths, line) end
end
local threads = {}
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("start", counter)
  table.insert(threads, thread)
end

init = function(args)
  -- Each thread starts half-way from the other, so the two do not ask for the same address together.
  i = math.floor((start - 1) * #paths / 2)  -- run.py runs wrk with two threads
  hits = 0
  misses = 0
end

request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
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
