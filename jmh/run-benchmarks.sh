#!/usr/bin/env bash
# Builds the kernel and the benchmarks, then runs the standard benchmark set, writing one JMH JSON
# file per group (and the PyTorch peer's JSON) into jmh/results/<UTC timestamp>/.
#
#   jmh/run-benchmarks.sh                 # everything below, in this order
#   jmh/run-benchmarks.sh peak train peer # only some groups: peak train peer rigl phases ladder scalar-csr
#                                         #   scalar-dense ops engine engine25 engine-gc engine25-gc
#                                         #   engine25-parts engine-split batch batch25 peer-infer probe edge matrix
#                                         #   deep (issue 24: the 2 × 256 network and its peer)
#   SKIP_BUILD=1 jmh/run-benchmarks.sh …  # reuse jmh/target/benchmarks.jar
#
# Extra JMH options can be passed in JMH_OPTS (e.g. JMH_OPTS="-f 3 -i 5"); MVN_ARGS goes to both
# Maven builds (e.g. MVN_ARGS=-Dmaven.repo.local=/tmp/m2 keeps the kernel out of ~/.m2).
# jmh/results/ is not committed; BENCHMARKS.md quotes the numbers that matter.
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a MVNX <<< "${MVN_ARGS:-}"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -q install -DskipTests "${MVNX[@]}"
  mvn -B -q -f jmh/pom.xml package "${MVNX[@]}"
fi

out="jmh/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
JAVA=(java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar)
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
read -r -a EXTRA <<< "${JMH_OPTS:-}"

jmh() { # name, then JMH arguments
  local name=$1; shift
  echo "== $name: ${*}" | tee -a "$out/commands.txt"
  "${JAVA[@]}" "$@" "${EXTRA[@]}" -rf json -rff "$out/$name.json" 2>&1 | tee "$out/$name.log"
}
jmh25() { # the same on JDK 25 (JDK25=path/to/java to override)
  local name=$1; shift
  echo "== $name (JDK 25: $JDK25): ${*}" | tee -a "$out/commands.txt"
  "$JDK25" --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar "$@" "${EXTRA[@]}" -rf json -rff "$out/$name.json" 2>&1 | tee "$out/$name.log"
}

# The C probe (edge_limit.c, not part of this repository: the edge step's input layer + LIF in
# hand-written AVX-512, else AVX2; EDGE_LIMIT_C gives its path), built for this CPU; probe_run LABEL runs it at density 1 and 0.125 into
# probe-LABEL.log. Without gcc, the source or an x86 CPU with AVX2 it says so in one line and the
# engine runs without it (no ratios to the probe in the summary).
probe=""
build_probe() {
  local src=${EDGE_LIMIT_C:-../shared/tools/edge_limit.c}
  probe=""
  if ! command -v gcc > /dev/null; then
    echo "== probe: skipped: no gcc on PATH (the engine runs without the C probe)" | tee -a "$out/commands.txt"
  elif [[ ! -f $src ]]; then
    echo "== probe: skipped: $src not found (the engine runs without the C probe)" | tee -a "$out/commands.txt"
  elif ! gcc -O3 -march=native -o "$out/edge_limit" "$src" 2> "$out/probe-build.log"; then
    echo "== probe: skipped: gcc -O3 -march=native $src failed (needs x86-64 with AVX2 + FMA; $out/probe-build.log)" | tee -a "$out/commands.txt"
  else
    probe="$out/edge_limit"
    echo "== probe: gcc -O3 -march=native -o $probe $src" | tee -a "$out/commands.txt"
  fi
}
probe_run() {
  [[ -z $probe ]] && return 0
  echo "== probe-$1: $probe 1; $probe 0.125" | tee -a "$out/commands.txt"
  { "$probe" 1; "$probe" 0.125; } 2>&1 | tee "$out/probe-$1.log"
}

groups=("$@")
[[ ${#groups[@]} -eq 0 ]] && groups=(peak train peer ladder scalar-csr scalar-dense ops)

{ lscpu | grep -E 'Model name|^CPU\(s\)|Thread|MHz'; java -version 2>&1; uptime; } > "$out/machine.txt"

for g in "${groups[@]}"; do
  case "$g" in
    peak)   jmh peak PeakFlopsBenchmark ;;
    ops)    jmh ops-blas 'KernelOpsBenchmark.(gather|correlate)'
            jmh ops-lif 'KernelOpsBenchmark.lif' -p shape=1x26 ;;
    # the headline train-step configurations: vector, dense vs CSR, gauss and int, density 1 and 1/8
    train)  jmh train-gauss TrainStepBenchmark -p impl=vector -p layer=csr,dense -p delayMode=gauss -p density=1,0.125
            jmh train-int TrainStepBenchmark -p impl=vector -p layer=csr,dense -p delayMode=int -p density=1,0.125 ;;
    # RigL's signal at density 1/8: none, the dense gradient every step (the paper's), 512 sampled pairs per layer
    rigl)   jmh train-rigl TrainStepBenchmark -p impl=vector -p layer=csr -p delayMode=gauss -p density=0.125 -p denseGrad=false,true -p candidates=0,512 ;;
    # the phases of one step (the density-independent floor: INPUT + HIDDEN_* + READOUT_*)
    phases) jmh train-phases TrainPhaseBenchmark -p layer=csr -p delayMode=int,gauss -p density=1,0.125
            jmh train-phases-dense TrainPhaseBenchmark -p layer=dense -p delayMode=gauss -p density=1 ;;
    # the rest of the density ladder, CSR only (a dense layer's cost does not depend on density)
    ladder) jmh train-ladder TrainStepBenchmark -p impl=vector -p layer=csr -p delayMode=gauss,int -p density=0.5,0.25,0.0625,0.03125 ;;
    # scalar reference points: the dense gauss step is 5–30 s on the scalar path (about 3 min for 2 forks)
    scalar-dense) jmh train-scalar-dense TrainStepBenchmark -p impl=scalar -p layer=dense -p delayMode=gauss -p density=1 ;;
    scalar-csr)   jmh train-scalar-csr-gauss TrainStepBenchmark -p impl=scalar -p layer=csr -p delayMode=gauss -p density=0.125
                  jmh train-scalar-csr-int TrainStepBenchmark -p impl=scalar -p layer=csr -p delayMode=int -p density=1,0.125 ;;
    # issue 24: SNN-delays' SHD network (140 → 256 → 256 → 20, T = 100): dense gauss, CSR int at
    # density 1 and 1/8, the PyTorch peer of the same network (gauss and int) around them, and the
    # edge engine's step of 1 against 2 hidden layers with the allocation profiler
    deep)   echo "== peer-shd2x256-gauss: /usr/bin/python3 golden/peer_bench.py --mode train --shape shd2x256 --steps ${PEER_STEPS:-3} --warmup 1" | tee -a "$out/commands.txt"
            /usr/bin/python3 golden/peer_bench.py --mode train --shape shd2x256 --steps "${PEER_STEPS:-3}" --warmup 1 --json "$out/peer-shd2x256-gauss.json" 2>&1 | tee "$out/peer-shd2x256-gauss.log"
            jmh train-shd2x256-dense TrainStepBenchmark -p shape=shd2x256 -p impl=vector -p layer=dense -p delayMode=gauss -p density=1
            jmh train-shd2x256-csr TrainStepBenchmark -p shape=shd2x256 -p impl=vector -p layer=csr -p delayMode=int -p density=1,0.125
            echo "== peer-shd2x256-int: /usr/bin/python3 golden/peer_bench.py --mode train --shape shd2x256 --delay-mode int --steps ${PEER_STEPS:-3} --warmup 1" | tee -a "$out/commands.txt"
            /usr/bin/python3 golden/peer_bench.py --mode train --shape shd2x256 --delay-mode int --steps "${PEER_STEPS:-3}" --warmup 1 --json "$out/peer-shd2x256-int.json" 2>&1 | tee "$out/peer-shd2x256-int.log"
            jmh engine-depth StreamStepBenchmark -bm avgt -p impl=vector -p density=1,0.125 -p hiddenLayers=1,2 -prof gc ;;
    peer)   echo "== peer: /usr/bin/python3 golden/peer_bench.py --mode train --steps 10" | tee -a "$out/commands.txt"
            /usr/bin/python3 golden/peer_bench.py --mode train --steps 10 --json "$out/peer.json" 2>&1 | tee "$out/peer.log" ;;
    # the edge engine: one stream per step (mean and p99, vector and scalar), JDK 17 and 25; on
    # JDK 25 also the base classes (vector17) against the JDK 25 ones (vector) in the same run
    engine)   jmh engine StreamStepBenchmark -bm avgt,sample ;;
    engine25) jmh25 engine25 StreamStepBenchmark -bm avgt,sample -p impl=vector,vector17,scalar ;;
    engine-gc) jmh engine-gc StreamStepBenchmark -bm avgt -p impl=vector -prof gc ;;
    engine25-gc) jmh25 engine25-gc StreamStepBenchmark -bm avgt -p impl=vector -prof gc ;;
    # the JDK 25 step without the hidden → output spike delivery (where the rest of the time goes)
    # (and its input layer and LIF step alone: StreamPartsBenchmark)
    engine25-parts) jmh25 engine25-parts StreamStepBenchmark -bm avgt -p impl=vector -p layer2=on,off
                    jmh25 engine25-parts-alone StreamPartsBenchmark -bm avgt,sample -p impl=vector ;;
    # the costs behind the cells/scalar split: the input layer forced one way or the other over densities, both JDKs
    engine-split) jmh engine-split StreamStepBenchmark -bm avgt -p impl=vector -p split=cells,scalar -p density=0.5,0.25,0.125,0.0625
                  jmh25 engine25-split StreamStepBenchmark -bm avgt -p impl=vector -p split=cells,scalar -p density=0.5,0.25,0.125,0.0625 ;;
    batch)    jmh batch StreamBatchBenchmark ;;
    batch25)  jmh25 batch25 StreamBatchBenchmark -p streams=128 -p form=states,states2 ;;
    # the hand-written AVX-512 C probe of the input layer + LIF (a measuring stick; EDGE_LIMIT_C)
    probe)  build_probe; probe_run now ;;
    # issue 26: the engine step against the C probe in the same run (probe right before and after),
    # JDK 17 and 25, the preferred vector width and 128 bits (what ARM NEON offers), -prof gc for
    # B/op; then the summary (engine / probe cells+lif, density 0.125 / dense) into edge.md
    edge)   build_probe; probe_run before
            for run in jmh jmh25; do
              v=17; [[ $run == jmh25 ]] && v=25
              if [[ $v == 25 && ! -x $JDK25 ]]; then echo "== edge25: skipped: no JDK 25 at $JDK25 (set JDK25)" | tee -a "$out/commands.txt"; continue; fi
              $run edge$v StreamStepBenchmark -bm avgt,sample -p impl=vector -prof gc
              for w in ${EDGE_WIDTHS:-128}; do   # EDGE_WIDTHS="128 256": also 256 bits (an AVX2 stand-in)
                $run edge$v-w$w StreamStepBenchmark -bm avgt,sample -p impl=vector -prof gc \
                  -jvmArgsAppend "--add-modules=jdk.incubator.vector -Dmyelin.vector.width=$w"
              done
            done
            probe_run after
            /usr/bin/python3 jmh/summarize.py --edge "$out" | tee "$out/edge.md" ;;
    peer-infer) echo "== peer-infer: /usr/bin/python3 golden/peer_bench.py --mode infer" | tee -a "$out/commands.txt"
            /usr/bin/python3 golden/peer_bench.py --mode infer --json "$out/peer-infer.json" 2>&1 | tee "$out/peer-infer.log" ;;
    # every other benchmark class on JDK 17 and then JDK 25, minutes apart (the index table of BENCHMARKS.md)
    matrix) for v in 17 25; do
              run=jmh; [[ $v == 25 ]] && run=jmh25
              $run matrix$v-peak PeakFlopsBenchmark
              $run matrix$v-mask MaskUpdateBenchmark
              $run matrix$v-ops-blas 'KernelOpsBenchmark.(gather|correlate)' -p shape=4x1040
              $run matrix$v-ops-lif 'KernelOpsBenchmark.lif' -p shape=1x26
              $run matrix$v-train TrainStepBenchmark -p impl=vector -p layer=dense -p delayMode=gauss -p density=1
              $run matrix$v-train-csr TrainStepBenchmark -p impl=vector -p layer=csr -p delayMode=int -p density=1,0.125
              if [[ $v == 25 ]]; then $run matrix$v-batch StreamBatchBenchmark; fi
            done ;;
    *)      echo "unknown group '$g' (peak train peer ladder scalar-csr scalar-dense ops engine engine25 engine-gc engine25-gc engine25-parts engine-split batch batch25 peer-infer probe edge matrix deep)" >&2; exit 2 ;;
  esac
done
uptime >> "$out/machine.txt"
echo "results in $out"
