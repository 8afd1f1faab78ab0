-- wrk script for bench/load.sh: small JSON and 64 MiB safetensors requests mixed (one big in
-- every LOAD_BIG_EVERY requests per thread). With LOAD_CHECK=1 every 200 body is compared byte
-- for byte with the reference fetched before the load (responses are deterministic) and every
-- other status is counted; wrk then holds each body in memory and hands it to Lua, which makes
-- wrk itself the bottleneck, so throughput and latency are measured with LOAD_CHECK=0 (no
-- response hook: wrk only counts non-2xx answers). Prints one RESULT line that load.sh checks.

local small_body = '{"seed": 7, "layers": [{"name": "fc", "type": "linear", "in_features": 16, "out_features": 8}]}'
local big_body = '{"seed": 7, "layers": [{"name": "big", "type": "tensor", "shape": [4096, 4096], "role": "weight"}]}'
local json_headers = { ["Content-Type"] = "application/json" }

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

function init(args)
  expected_small = slurp(os.getenv("LOAD_SMALL"))
  expected_big = slurp(os.getenv("LOAD_BIG"))
  big_every = tonumber(os.getenv("LOAD_BIG_EVERY") or "10")
  sent = 0
  ok_small, ok_big, mismatched, s503, s5xx, s4xx, other = 0, 0, 0, 0, 0, 0, 0
end

function request()
  sent = sent + 1
  if sent % big_every == 0 then
    return wrk.format("POST", "/api/v1/initializations?format=safetensors", json_headers, big_body)
  end
  return wrk.format("POST", "/api/v1/initializations", json_headers, small_body)
end

local function check(status, headers, body)
  if status == 200 then
    local kind = headers["Content-Type"] or ""
    if kind:find("safetensors", 1, true) then
      if body == expected_big then ok_big = ok_big + 1 else mismatched = mismatched + 1 end
    else
      if body == expected_small then ok_small = ok_small + 1 else mismatched = mismatched + 1 end
    end
  elseif status == 503 then
    s503 = s503 + 1
  elseif status >= 500 then
    s5xx = s5xx + 1
  elseif status >= 400 then
    s4xx = s4xx + 1
  else
    other = other + 1
  end
end

if os.getenv("LOAD_CHECK") == "1" then
  response = check
end

function done(summary, latency, requests)
  local t = { ok_small = 0, ok_big = 0, mismatched = 0, s503 = 0, s5xx = 0, s4xx = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do
      t[k] = t[k] + (thread:get(k) or 0)
    end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f MiB_per_s=%.1f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f " ..
    "non_2xx=%d ok_small=%d ok_big=%d mismatched=%d status_503=%d status_5xx=%d status_4xx=%d other=%d " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds, summary.bytes / seconds / 1048576,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, t.ok_small, t.ok_big, t.mismatched, t.s503, t.s5xx, t.s4xx, t.other,
    e.connect, e.read, e.write, e.timeout))
end
