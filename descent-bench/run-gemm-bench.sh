#!/usr/bin/env bash
# Builds descent-core and descent-bench, then runs the GEMM benchmark against OpenBLAS:
#   descent-bench/run-gemm-bench.sh [--json FILE] [--threads 1,2] [--no-openblas]
#   descent-bench/run-gemm-bench.sh --jmh [JMH options]      (JMH run of GemmBenchmark instead)
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed from the environment: forced to another
# core type, OpenBLAS falls back to slower kernels and the comparison would be unfair.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
(cd "$root" && mvn -B -q -Dstyle.color=never -pl descent-bench -am package -DskipTests)
cp="$root/descent-bench/target/classes:$root/descent-bench/target/lib/*"
main=io.descent.bench.GemmBench
if [ "${1:-}" = "--jmh" ]; then shift; main=org.openjdk.jmh.Main; set -- GemmBenchmark "$@"; fi
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$JAVA_HOME/bin/java" \
  --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
  -cp "$cp" "$main" "$@"
