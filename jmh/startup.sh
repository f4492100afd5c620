#!/usr/bin/env bash
# Start-up to the first word: EmbeddingExample on the engine jar alone, from `java` starting to the
# process's end (it exits right after the recording's words), on JDK 17 and JDK 25, vector and
# scalar kernels, without and with a start-up cache (JDK 17: AppCDS dynamic archive; JDK 25: AOT
# cache, JEP 483/514), each cache made by one run of the same command first. Needs hyperfine.
#
#   jmh/startup.sh MODEL.myelin RECORDING.wav        # after mvn -B -q package -DskipTests
#   RUNS=15 JDK17=/path JDK25=/path jmh/startup.sh …
#   ENGINE_JAR=/tmp/old-engine.jar jmh/startup.sh …  # another build's engine jar (before/after)
#
# BENCHMARKS.md ("Start-up") has the figures and how its model and one-second recording were made.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -eq 2 ]] || { echo "usage: jmh/startup.sh MODEL.myelin RECORDING.wav" >&2; exit 2; }
model=$(realpath "$1") rec=$(realpath "$2")
jar=${ENGINE_JAR:-$root/target/myelin-engine.jar}
[[ -f $jar ]] || { echo "startup: $jar not found (mvn -B -q package -DskipTests)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "startup: hyperfine not found" >&2; exit 2; }
j17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/bin/java
j25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$jar" "$work/engine.jar"
cd "$work"
main="-cp engine.jar org.myelin.edge.example.EmbeddingExample $model $rec"
vec="--add-modules jdk.incubator.vector"
args=()
for jdk in 17 25; do
  java=$j17 make=-XX:ArchiveClassesAtExit= use=-XX:SharedArchiveFile= ext=jsa cache=AppCDS
  [[ $jdk == 25 ]] && java=$j25 make=-XX:AOTCacheOutput= use=-XX:AOTCache= ext=aot cache="AOT cache"
  [[ -x $java ]] || { echo "startup: no JDK $jdk at $java: skipped"; continue; }
  for kind in vector scalar; do
    opt=; [[ $kind == vector ]] && opt=$vec
    "$java" "$make$kind$jdk.$ext" $opt $main >/dev/null 2>&1
    args+=(-n "JDK $jdk $kind" "$java $opt $main" -n "JDK $jdk $kind, $cache" "$java $use$kind$jdk.$ext $opt $main")
  done
done
uptime
mkdir -p "$root/jmh/results"
hyperfine -N -w 2 -r "${RUNS:-15}" --export-json "$root/jmh/results/startup-$(date -u +%Y%m%dT%H%M%SZ).json" "${args[@]}"
uptime
