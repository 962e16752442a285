-- wrk script: print p50/p95/p99 in microseconds and the non-2xx count on one line each, for run.py to read.
done = function(summary, latency, requests)
  io.write(string.format("P50 %d\nP95 %d\nP99 %d\n", latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
