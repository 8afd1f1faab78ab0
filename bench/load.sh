#!/usr/bin/env bash
# Load test (issue 7): the packaged server at a small heap, driven by wrk with many clients
# mixing small JSON and 64 MiB safetensors requests, twice: a measuring run (wrk counts statuses
# only, so throughput and latency are the server's) and a verifying run (every 200 body compared
# byte for byte with its reference). Fails unless every answer is a 200 with the exact reference
# bytes or a 503 (admission control), with no other status (the server's own metrics confirm
# it), no socket errors or timeouts, and the server alive and healthy at the end.
#
# Usage: bash bench/load.sh [DURATION] [CONNECTIONS] [HEAP]      (defaults: 60s 64 512m; each run)
#   bash bench/load.sh             # the issue's run: 60 s, 64 clients, -Xmx512m
#   bash bench/load.sh 10s 32      # the short version CI runs
# Environment: INITLAB_LOAD_PORT (18086), LOAD_BIG_EVERY (10: one big request in ten per thread),
# WRK_THREADS (2). Needs wrk (Debian package wrk) and a built jar (built if missing).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
DURATION=${1:-60s}
CONNECTIONS=${2:-64}
HEAP=${3:-512m}
PORT=${INITLAB_LOAD_PORT:-18086}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
jar=$(ls target/initlab-*.jar 2>/dev/null | head -n 1 || true)
if [[ -z $jar ]]; then
  ./mvnw -B -q -DskipTests package
  jar=$(ls target/initlab-*.jar | head -n 1)
fi
out=target/load
mkdir -p "$out"
java -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError --add-modules jdk.incubator.vector -jar "$jar" --server.port="$PORT" >"$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
url=http://127.0.0.1:$PORT
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "$url/actuator/health/readiness" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { tail -n 30 "$out/server.log"; exit 1; }
  sleep 1
done

# The references, fetched one at a time before the load (the same bodies as mix.lua's).
curl -fsS -o "$out/small.json" -H 'Content-Type: application/json' \
  --data-binary '{"seed": 7, "layers": [{"name": "fc", "type": "linear", "in_features": 16, "out_features": 8}]}' \
  "$url/api/v1/initializations"
curl -fsS -o "$out/big.safetensors" -H 'Content-Type: application/json' \
  --data-binary '{"seed": 7, "layers": [{"name": "big", "type": "tensor", "shape": [4096, 4096], "role": "weight"}]}' \
  "$url/api/v1/initializations?format=safetensors"
python3 - "$out/big.safetensors" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + n])
assert header["big"]["shape"] == [4096, 4096] and header["big"]["dtype"] == "F32", header["big"]
assert len(data) == 8 + n + 4096 * 4096 * 4, len(data)
print(f"reference: {len(data)} bytes, 4096x4096 float32")
PY

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB; $(java -version 2>&1 | head -n1); $(wrk -v 2>&1 | head -n1)"

# run_wrk PHASE CHECK TIMEOUT: one wrk run of DURATION with CONNECTIONS clients; output in
# target/load/PHASE.txt, the RESULT line in the global RESULT.
run_wrk() {
  echo "== $1: wrk -t${WRK_THREADS:-2} -c$CONNECTIONS -d$DURATION --timeout $3, one 64 MiB request in ${LOAD_BIG_EVERY:-10}, server -Xmx$HEAP, body checks: $2"
  LOAD_CHECK=$2 LOAD_SMALL=$out/small.json LOAD_BIG=$out/big.safetensors \
    wrk -t"${WRK_THREADS:-2}" -c"$CONNECTIONS" -d"$DURATION" --timeout "$3" --latency -s bench/load/mix.lua "$url" |
    tee "$out/$1.txt"
  RESULT=$(grep '^RESULT ' "$out/$1.txt") || { echo "FAIL: wrk printed no RESULT" >&2; exit 1; }
}
field() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<"$RESULT"; }
fail=0
must_be_zero() {
  local f
  for f in "$@"; do
    if [[ $(field "$f") != 0 ]]; then echo "FAIL: $f=$(field "$f")" >&2; fail=1; fi
  done
}

# Phase 1, measure: wrk only counts statuses (no body hook), so it keeps up with the server.
run_wrk measure 0 60s
must_be_zero connect_errors read_errors write_errors timeouts
# Phase 2, verify: every body compared with its reference; wrk is now the bottleneck (it copies
# each 64 MiB body into Lua), hence the longer client timeout.
run_wrk verify 1 120s
must_be_zero mismatched status_5xx status_4xx other connect_errors read_errors write_errors timeouts
(($(field ok_small) > 0 && $(field ok_big) > 0)) || { echo "FAIL: no successful small or big request" >&2; fail=1; }

alive=yes
kill -0 $pid 2>/dev/null || alive=no
health=$(curl -s -o /dev/null -w '%{http_code}' "$url/actuator/health/liveness" || true)
echo "server alive: $alive, liveness: $health, peak RSS: $(awk '/VmHWM/{print $2, $3}' /proc/$pid/status 2>/dev/null || echo '?')"
[[ $alive == yes && $health == 200 ]] || { echo "FAIL: the server did not survive" >&2; fail=1; }
# Both phases, from the server's own metrics: every status it answered, none a 5xx but 503.
curl -fsS "$url/actuator/prometheus" | grep '^http_server_requests_seconds_count{' |
  grep 'uri="/api/v1/initializations"' | sed -E 's/.*status="([0-9]+)".* ([0-9.E]+)$/status \1: \2/' |
  sort | tee "$out/statuses.txt"
if grep -Ev '^status (2[0-9][0-9]|503):' "$out/statuses.txt" | grep -q .; then
  echo "FAIL: the server answered other statuses than 2xx and 503 (above)" >&2
  fail=1
fi
if grep -q OutOfMemoryError "$out/server.log"; then echo "FAIL: OutOfMemoryError in the server log" >&2; fail=1; fi
((fail == 0)) && echo "load: PASS"
exit $fail
