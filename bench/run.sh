#!/usr/bin/env bash
# Starts the packaged server (building it if needed) on loopback, runs one bench script against
# it, stops the server. Usage: bash bench/run.sh SCRIPT.py [JVM options...]
#   bash bench/run.sh bench/package_vs_numpy.py        # issue 16: the package's fetch vs NumPy
#   bash bench/run.sh bench/planar_vs_numpy.py         # issue 5: planar experiment vs NumPy
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
script=$1
shift
PORT=${INITLAB_BENCH_PORT:-18085}
jar=$(ls target/initlab-*.jar 2>/dev/null | head -n 1 || true)
if [[ -z $jar ]]; then
  ./mvnw -B -q -DskipTests package
  jar=$(ls target/initlab-*.jar | head -n 1)
fi
java "$@" -jar "$jar" --server.port="$PORT" >target/bench-server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/actuator/health/readiness" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { tail -n 30 target/bench-server.log; exit 1; }
  sleep 1
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB; $(java -version 2>&1 | head -n1); numpy $(python3 -c 'import numpy; print(numpy.__version__)')"
INITLAB_URL="http://127.0.0.1:$PORT" python3 "$script" ${BENCH_ARGS:-}
echo "server peak RSS: $(awk '/VmHWM/{print $2, $3}' /proc/$pid/status)"
