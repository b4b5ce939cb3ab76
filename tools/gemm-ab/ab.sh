#!/bin/bash
# Two GEMMs side by side in one JVM: see README.md beside this script.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/tools/gemm-ab/target   # ignored by git, and no Maven module cleans it
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
javac() { "$J/javac" --add-modules jdk.incubator.vector -nowarn "$@" 2>&1 | grep -v '^warning\|^Note\|^1 warning' || true; }
case "$1" in
  build)
    [ -n "$2" ] || { echo "usage: ab.sh build NAME [DIR|PATCH.py]" >&2; exit 2; }
    d=$work/$2; patch=${3:+$(readlink -f "$3")}
    rm -rf "$d"; mkdir -p "$d/src" "$d/classes"
    cp "$root"/descent-core/src/main/java/io/descent/kernels/*.java "$d/src/"
    if [ -d "$patch" ]; then cp "$patch"/*.java "$d/src/"; fi
    sed -i 's/^package io\.descent\.kernels;/package io.descent.kernelsb;/; s/io\.descent\.kernels\./io.descent.kernelsb./g' "$d"/src/*.java
    if [ -f "$patch" ]; then (cd "$d/src" && python3 "$patch"); fi
    javac -d "$d/classes" "$d"/src/*.java
    [ -f "$d/classes/io/descent/kernelsb/Gemm.class" ] || { echo "ab.sh: the copy did not compile" >&2; exit 1; } ;;
  run)
    [ $# -ge 6 ] || { echo "usage: ab.sh run NAME THREADS SECONDS ROUNDS MxNxK[:OP] ..." >&2; exit 2; }
    name=$2; shift 2
    cp="$work/probe:$work/$name/classes:$root/descent-core/target/classes"
    mkdir -p "$work/probe"
    [ "$work/probe/GemmAB.class" -nt "$root/tools/gemm-ab/GemmAB.java" ] || javac -cp "$cp" -d "$work/probe" "$root/tools/gemm-ab/GemmAB.java"
    TAG=$name "$J/java" --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages -Xmx6g $JOPTS -cp "$cp" GemmAB "$@" 2>&1 | grep -v 'incubator' ;;
  *) echo "usage: ab.sh build NAME [DIR|PATCH.py] | ab.sh run NAME THREADS SECONDS ROUNDS SHAPES..." >&2; exit 2 ;;
esac
