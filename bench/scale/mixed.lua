-- wrk script for the memory soak: cycles through the addresses in the PATHS environment variable (| separated).
local paths = {}
for p in string.gmatch(os.getenv("PATHS") or "/healthz", "[^|]+") do table.insert(paths, p) end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
