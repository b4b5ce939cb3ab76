#!/usr/bin/env bash
# Descent's kernels on a many-core machine that has no JDK or Maven, beside that machine's own
# PyTorch: the GPU hosts some sessions are lent (16 Xeon cores, PyTorch with MKL/oneDNN, no
# network). Session 13's figures (docs/PERFORMANCE.md) came from this script.
#
#   here:   ./descent --version && tools/device/cpu-scaling.sh --prepare
#           (a trimmed JDK 25 runtime made by jlink into .jrt/, about 46 MB, ignored by git)
#   there:  bash tools/device/cpu-scaling.sh      carrying .jrt, descent-cli/target/classes and
#           descent-cli/target/lib; results go to $OUT (default /tmp/cpu-scaling)
#   or:     bash tools/device/cpu-scaling.sh --profile    where the models' time goes there instead:
#           `bench models --project` on the real cores (wall time beside each op's longest chunk)
#           and a JFR recording (settings=profile) of the timed rows, for `jfr print` here
#   or:     bash tools/device/cpu-scaling.sh --models     `bench models` alone, into models$TAG.json
#
# Settings (environment): TH gemm thread counts (default 1,16), SH gemm shapes, MT threads for
# the models (16), MS seconds per model row (6), PY the python holding torch (python3), OLD_CLI
# a folder inside the carried tree holding an older build's descent-cli/target/classes and lib
# (e.g. .jrt/old/classes and .jrt/old/lib, built from an earlier commit in a git worktree): its
# gemm and models rows are measured too, before the current ones, into *-old.json.
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if [ "${1:-}" = "--prepare" ]; then
  jdk="${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}"
  rm -rf .jrt
  exec "$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,jdk.incubator.vector,jdk.jfr \
    --compress zip-9 --strip-debug --no-header-files --no-man-pages --output .jrt
fi

OUT=${OUT:-/tmp/cpu-scaling}; mkdir -p "$OUT"
java="$root/.jrt/bin/java"
[ -x "$java" ] || { echo "no .jrt/bin/java: run tools/device/cpu-scaling.sh --prepare first, and carry .jrt" >&2; exit 1; }
opts=(--add-modules jdk.incubator.vector -XX:+UseG1GC -XX:G1HeapRegionSize=4m -Xss4m -XX:-G1UseAdaptiveIHOP
      -XX:InitiatingHeapOccupancyPercent=80 -XX:MaxHeapFreeRatio=100 --enable-native-access=ALL-UNNAMED -Ddescent.home="$root")
cli=descent-cli/target
descent() { timeout 300 "$java" "${opts[@]}" ${JOPTS:-} ${jfr:+"$jfr"} -cp "$cli/classes:$cli/lib/*" io.descent.cli.Main "$@" 2>&1 | grep -v 'incubator modules'; }
PY=${PY:-python3}
TH=${TH:-1,16}
SH=${SH:-256x256x256,1024x1024x1024,2048x2048x2048,128x128x3136,128x128x3136:TN,128x128x3136:NT}
MT=${MT:-16}

{ lscpu; nproc; free -g; } > "$OUT/machine.txt" 2>&1
if [ "${1:-}" = "--profile" ]; then
  descent bench models --models "${PM:-resnet50}" --threads "$MT" --project 5 --json "$OUT/project.json"
  jfr="-XX:StartFlightRecording=filename=$OUT/models.jfr,settings=profile" \
    descent bench models --models "${PM:-resnet50}" --threads "$MT" --seconds "${MS:-6}"
  exit
fi
if [ "${1:-}" = "--models" ]; then
  descent bench models --models "${PM:-resnet50,vgg16}" --threads "$MT" --seconds "${MS:-6}" --json "$OUT/models${TAG:-}.json"
  exit
fi
"$PY" -c 'import torch; print(torch.__version__); print(torch.__config__.parallel_info())' > "$OUT/torch.txt" 2>&1

if [ -n "${OLD_CLI:-}" ]; then
  echo "== older build: $OLD_CLI"
  cli="$OLD_CLI" descent bench gemm --threads "$TH" --seconds 1 --shapes "$SH" --json "$OUT/gemm-old.json"
  cli="$OLD_CLI" descent bench models --threads "$MT" --seconds "${MS:-6}" --json "$OUT/models-old.json"
  echo "== current build"
fi
descent bench gemm --threads "$TH" --seconds 1 --shapes "$SH" --json "$OUT/gemm.json"
# PyTorch's matrix product on the same shapes and thread counts: best of five timed batches
"$PY" - "$TH" "$SH" <<'PYTHON' 2>&1 | tee "$OUT/torch-gemm.txt"
import sys, time, torch
for t in map(int, sys.argv[1].split(',')):
    torch.set_num_threads(t)
    for s in sys.argv[2].split(','):
        dims, op = (s.split(':') + ['NN'])[:2]
        m, n, k = map(int, dims.split('x'))
        a = torch.randn(k, m).t() if op[0] == 'T' else torch.randn(m, k)
        b = torch.randn(n, k).t() if op[1] == 'T' else torch.randn(k, n)
        c = torch.empty(m, n)
        for _ in range(3):
            torch.mm(a, b, out=c)
        best = float('inf')
        for _ in range(5):
            reps = 1
            while True:
                t0 = time.perf_counter()
                for _ in range(reps):
                    torch.mm(a, b, out=c)
                dt = time.perf_counter() - t0
                if dt > 0.2:
                    break
                reps *= 2
            best = min(best, dt / reps)
        print("torch %s threads=%d %s %.1f GFLOPS" % (torch.__version__, t, s, 2.0 * m * n * k / best / 1e9), flush=True)
PYTHON

descent bench models --threads "$MT" --seconds "${MS:-6}" --json "$OUT/models.json"
for model in resnet50 vgg16; do
  for mode in fwd train; do
    timeout 300 "$PY" descent-bench/src/main/resources/io/descent/bench/pytorch_models.py W4 $model $mode "$MT" 8 224 3 10 2>&1 | tee -a "$OUT/torch-models.txt"
  done
done
