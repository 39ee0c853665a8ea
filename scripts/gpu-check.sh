#!/usr/bin/env bash
# The GPU check, for the GPU machine (CUDA 13, driver 580, PyTorch at /opt/torch/.venv, no .NET, no network), in one
# call of the device tool (scripts/gpu-run.md gives the exact call). Needs what scripts/prepare-gpu-run.sh makes here
# beforehand, carried with the working tree: publish/gpucheck.tar.xz, publish/alexnet.tar.xz, .fmnist/, .cifar/.
#
# Parts, in the order they run (ids for --only); each is time-boxed, and a deadline for the whole run (--budget)
# skips the parts it cannot reach, so the summary always comes out and a rerun can pick up what was left:
#   bench         hand-wired AlexNet training step and inference, batch 128 and 256, TF32 off and on, and the
#                 per-kernel profile of the step at batch 128 (with the cuDNN algorithms chosen)
#   layers        the same through the Layers path (Network.Apply + ValueAndGrad + SgdMomentum), TF32 off and on
#   pytorch       PyTorch: fp32, its defaults, TF32, channels_last, torch.compile (scripts/pytorch_reference.py)
#   model         TF32's accuracy cost against the CPU, and the placed two-tower pass (tower 0 on cuda:0, tower 1 on
#                 the CPU) against the fused pass, transfers counted (AlexNet.GpuCheck --model-check)
#   loop-fashion  `alexnet train --device cuda:0` on the Fashion-MNIST subset, beside the step benchmark of its network
#   loop-cifar    `alexnet prepare` of a 256×256 store of the CIFAR-10 subset, then the paper preset trained on it
#   equivalence   every kernel on the GPU against the CPU reference
#   nccl          NCCL with one rank: all-reduce of the paper network's gradients (61 M floats)
#   train-check   model-level training check (paper AlexNet CPU vs GPU, memorisation, Fashion-MNIST)
# The loops sample GPU utilisation with nvidia-smi every 500 ms and print the whole loop's images/s beside the step
# benchmark's. Everything goes to stdout and, when $OUT is set, to $OUT/gpu-check.log, with the final tables in
# $OUT/gpu-check-summary.txt and the raw loop files (logs, metrics.csv, nvidia-smi samples) beside them.
#
# --cpu-smoke runs every part that does not need CUDA on the CPU with tiny sizes (CPU stand-ins for the CUDA backend,
# two CPU backends for the towers, PyTorch on the CPU, the CLI with --device cpu): it checks the script, the published
# builds and the data here, not speed. Its exit status is the number of parts that failed.
#
# Usage: scripts/gpu-check.sh [--cpu-smoke] [--budget SECONDS (default 420)] [--only ID[,ID...]]
set -uo pipefail
cd "$(dirname "$0")/.."

SMOKE=0
BUDGET=420
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu-smoke) SMOKE=1 ;;
    --budget) BUDGET=${2:?--budget needs a number of seconds}; shift ;;
    --only) ONLY=${2:?--only needs part ids, e.g. --only equivalence,nccl}; shift ;;
    -h|--help) sed -n '2,/^# Usage/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$BUDGET" =~ ^[0-9]+$ ]] || { echo "error: --budget must be a whole number of seconds, got '$BUDGET'" >&2; exit 2; }
PART_IDS=",bench,layers,pytorch,model,loop-fashion,loop-cifar,equivalence,nccl,train-check,"
for id in ${ONLY//,/ }; do
  [[ "$PART_IDS" == *",$id,"* ]] || { echo "error: --only: no part '$id'; the parts are ${PART_IDS//,/ }" >&2; exit 2; }
done
[ "$SMOKE" -eq 1 ] && [ "$BUDGET" -eq 420 ] && BUDGET=3600

TEE_PID=""
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  exec > >(tee "$OUT/gpu-check.log") 2>&1
  TEE_PID=$!
fi

START=$SECONDS
RESERVE=10 # kept for the summary
W=$(mktemp -d)
results="$W/results.txt"
: > "$results"
SMI_PID=""
cleanup() {
  [ -n "$SMI_PID" ] && kill "$SMI_PID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT

section() { printf '\n==== %s ====\n' "$1"; }
remaining() { echo $(( BUDGET - (SECONDS - START) - RESERVE )); }
wanted() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
PASSED=()
FAILED=()
SKIPPED=()

# begin_part ID LIMIT TITLE: announces a part and sets LIMIT_NOW (its limit, cut to what is left of the budget);
# fails when the part is not wanted or the budget is spent.
begin_part() {
  local id=$1 limit=$2 title=$3 left
  wanted "$id" || return 1
  left=$(remaining)
  if [ "$left" -lt 15 ]; then
    SKIPPED+=("$id")
    section "$title: SKIPPED, the budget of $BUDGET s is spent (rerun with --only $id)"
    return 1
  fi
  LIMIT_NOW=$(( limit < left ? limit : left ))
  PART_START=$SECONDS
  section "$title [part $id, limit $LIMIT_NOW s, $left s of the budget left]"
}
end_part() { # ID STATUS
  echo "PART $1 exit=$2 seconds=$(( SECONDS - PART_START ))" | tee -a "$results"
  if [ "$2" -eq 0 ]; then PASSED+=("$1"); else FAILED+=("$1"); fi
}
not_in_smoke() { # ID TITLE
  wanted "$1" || return 0
  section "$2: not in the CPU smoke run (needs CUDA)"
}

# run_limited LIMIT COMMAND...: the command under a time limit, its output to the log and to the results.
run_limited() {
  local limit=$1 status
  shift
  timeout -k 10 "$limit" "$@" 2>&1 | tee -a "$results"
  status=${PIPESTATUS[0]}
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then echo "FAIL: ran past its $limit s limit: $*"; fi
  return "$status"
}

# unpack NAME: publish/NAME.tar.xz into publish/NAME/ unless that folder exists (Python's tarfile reads xz too, for a
# machine without the xz tool).
unpack() {
  [ -d "publish/$1" ] && return 0
  [ -f "publish/$1.tar.xz" ] || return 1
  tar -xJf "publish/$1.tar.xz" -C publish 2>/dev/null ||
    "$SUMMARY_PY" -c "import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "publish/$1.tar.xz" publish
}

APP=publish/gpucheck/AlexNet.GpuCheck
app_ready() {
  unpack gpucheck
  if [ ! -f "$APP" ]; then
    echo "FAIL: $APP and publish/gpucheck.tar.xz are missing; run scripts/prepare-gpu-run.sh first (on a machine with the .NET SDK)"
    return 1
  fi
  chmod +x "$APP" 2>/dev/null || true
}
app_part() { # ID LIMIT TITLE ARGS...
  local id=$1 limit=$2 title=$3 status
  shift 3
  begin_part "$id" "$limit" "$title" || return 0
  if app_ready; then run_limited "$LIMIT_NOW" "$APP" "$@"; status=$?; else status=2; fi
  echo "AlexNet.GpuCheck exit status $status (0 = fine, 1 = some checks failed, 2 = no device or libraries)"
  end_part "$id" "$status"
}

CLI=publish/alexnet/alexnet
cli_ready() {
  unpack alexnet
  if [ ! -f "$CLI" ]; then
    echo "FAIL: $CLI and publish/alexnet.tar.xz are missing; run scripts/prepare-gpu-run.sh first"
    return 1
  fi
  chmod +x "$CLI" 2>/dev/null || true
}

smi_start() { # FILE
  if [ "$SMOKE" -eq 0 ] && command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv,noheader,nounits -lms 500 > "$1" 2>&1 &
    SMI_PID=$!
  else
    echo "note: no nvidia-smi sampling (CPU smoke run, or nvidia-smi is missing)"
    : > "$1"
  fi
}
smi_stop() {
  if [ -n "$SMI_PID" ]; then
    kill "$SMI_PID" 2>/dev/null
    wait "$SMI_PID" 2>/dev/null
    SMI_PID=""
  fi
}

# loop_train NAME LIMIT CLI-TRAIN-ARGUMENTS...: `alexnet train` with GPU sampling, then its LOOP summary line.
loop_train() {
  local name=$1 limit=$2 status
  shift 2
  local smi="$W/smi-$name.csv" log="$W/loop-$name.log" run="$W/run-$name"
  smi_start "$smi"
  echo "\$ alexnet train $*"
  timeout -k 10 "$limit" "$CLI" train "$@" -o "$run" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  smi_stop
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then echo "FAIL: alexnet train ran past its $limit s limit"; fi
  echo "alexnet train ($name) exit status $status"
  if [ -s "$smi" ]; then
    echo "nvidia-smi during the $name loop, every 500 ms (timestamp, GPU utilisation %, memory used MiB):"
    cat "$smi"
  fi
  "$SUMMARY_PY" scripts/gpu_summary.py loop --name "$name" --log "$log" --metrics "$run/metrics.csv" --smi "$smi" | tee -a "$results"
  if [ -n "${OUT:-}" ]; then
    cp "$log" "$OUT/loop-$name.log"
    [ -s "$smi" ] && cp "$smi" "$OUT/smi-$name.csv"
    [ -f "$run/metrics.csv" ] && cp "$run/metrics.csv" "$OUT/loop-$name-metrics.csv"
  fi
  rm -rf "$run"
  return "$status"
}

section "Machine"
date -u
uname -a
echo "$(nproc) cores; budget $BUDGET s${ONLY:+; only $ONLY}$([ "$SMOKE" -eq 1 ] && echo '; CPU smoke run')"
if [ "$SMOKE" -eq 0 ]; then timeout 30 nvidia-smi || echo "nvidia-smi failed or is missing"; fi

PY=""
for candidate in /opt/torch/.venv/bin/python python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && timeout 60 "$candidate" -c "import torch" 2>/dev/null; then
    PY=$(command -v "$candidate")
    break
  fi
done
SUMMARY_PY=${PY:-python3}
echo "python with torch: ${PY:-none found}"

if [ "$SMOKE" -eq 0 ]; then
  section "CUDA libraries from the PyTorch venv"
  SITE=$(timeout 60 "${PY:-python3}" -c "import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))" 2>/dev/null)
  if [ -z "$SITE" ]; then
    SITE=/opt/torch/.venv/lib/python3.12/site-packages
    echo "python could not locate the nvidia packages; assuming $SITE"
  fi
  LIBDIRS=""
  for d in "$SITE/nvidia/cu13/lib" "$SITE/nvidia/nccl/lib" "$SITE/nvidia/cudnn/lib" "$SITE/nvidia/cublas/lib" "$SITE/nvidia/cuda_runtime/lib" "$SITE/nvidia/cuda_nvrtc/lib"; do
    if [ -d "$d" ]; then
      LIBDIRS="${LIBDIRS:+$LIBDIRS:}$d"
      echo "$d: $(ls "$d" | tr '\n' ' ')"
    fi
  done
  export LD_LIBRARY_PATH="${LIBDIRS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export ALEXNET_CUDA_PATH="$LIBDIRS"
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
fi

# ---- bench, layers: the step benchmarks of our side ----
if [ "$SMOKE" -eq 0 ]; then
  app_part bench 90 "AlexNet.GpuCheck: hand-wired AlexNet benchmark, TF32 off and on" --skip-equivalence --both-precisions --profile
  app_part layers 90 "AlexNet.GpuCheck: AlexNet through the Layers path (Network.Apply + ValueAndGrad + SgdMomentum), TF32 off and on" --layers-benchmark --both-precisions
else
  app_part bench 600 "AlexNet.GpuCheck: hand-wired AlexNet, two steps on the CPU" --cpu-smoke --batch 2
  app_part layers 600 "AlexNet.GpuCheck: AlexNet through the Layers path, CPU stand-in" --layers-benchmark --cpu-stand-in
fi

# ---- pytorch ----
if begin_part pytorch 150 "PyTorch reference: fp32, defaults, TF32, channels_last, torch.compile"; then
  if [ -z "$PY" ]; then
    echo "FAIL: no python with torch"
    end_part pytorch 2
  else
    smoke_args=()
    [ "$SMOKE" -eq 1 ] && smoke_args=(--cpu-smoke)
    run_limited $(( LIMIT_NOW + 15 )) "$PY" scripts/pytorch_reference.py --deadline "$LIMIT_NOW" "${smoke_args[@]}"
    end_part pytorch $?
  fi
fi

# ---- model: TF32 accuracy cost and placed towers ----
if [ "$SMOKE" -eq 0 ]; then
  app_part model 90 "AlexNet.GpuCheck: TF32's accuracy cost, and the placed towers (cuda:0 + CPU) against the fused pass" --model-check
else
  app_part model 600 "AlexNet.GpuCheck: TF32 cost and placed towers, with two CPU backends standing in" --model-check --cpu-stand-in
fi

# ---- loop-fashion ----
if begin_part loop-fashion 110 "Training loop: alexnet train on the Fashion-MNIST subset, beside the step benchmark of its network"; then
  status=0
  if [ ! -f .fmnist/train-images-idx3-ubyte.gz ]; then
    echo "FAIL: .fmnist/ is missing; run scripts/prepare-gpu-run.sh first"
    status=2
  elif app_ready && cli_ready; then
    if [ "$SMOKE" -eq 0 ]; then
      run_limited 40 "$APP" --layers-benchmark --network fashion --batch 128 || status=$?
      left=$(( LIMIT_NOW - (SECONDS - PART_START) ))
      loop_train fashion $(( left > 20 ? left : 20 )) --data fashion-mnist --fashion-dir .fmnist --device cuda:0 --minutes 0.5 --validation 2000 || status=$?
    else
      run_limited 300 "$APP" --layers-benchmark --network fashion --cpu-stand-in || status=$?
      loop_train fashion 600 --data fashion-mnist --fashion-dir .fmnist --device cpu --limit 512 --epochs 1 --minutes 0 --validation 0 --batch-size 64 || status=$?
    fi
  else
    status=2
  fi
  end_part loop-fashion "$status"
fi

# ---- loop-cifar ----
if begin_part loop-cifar 200 "Training loop: alexnet prepare (256×256 store of the CIFAR-10 subset), then alexnet train, paper preset"; then
  status=0
  if [ ! -f .cifar/cifar10-jpeg.tar.gz ]; then
    echo "FAIL: .cifar/cifar10-jpeg.tar.gz is missing; run scripts/prepare-gpu-run.sh first"
    status=2
  elif cli_ready; then
    tar -xzf .cifar/cifar10-jpeg.tar.gz -C "$W"
    source_dir="$W/cifar10-jpeg"
    if [ "$SMOKE" -eq 1 ]; then
      # Three training and two test photographs per class: the paper network on the CPU is slow.
      source_dir="$W/cifar-smoke"
      for split_count in train:3 test:2; do
        split=${split_count%%:*}; count=${split_count##*:}
        for class_dir in "$W/cifar10-jpeg/$split"/*/; do
          mkdir -p "$source_dir/$split/$(basename "$class_dir")"
          find "$class_dir" -maxdepth 1 -name '*.jpg' | sort | sed -n "1,${count}p" | xargs -r cp -t "$source_dir/$split/$(basename "$class_dir")"
        done
      done
    fi
    echo "\$ alexnet prepare --data $source_dir -o store256 --size 256"
    prepare_start=$SECONDS
    timeout -k 10 $(( LIMIT_NOW < 90 ? LIMIT_NOW : 90 )) "$CLI" prepare --data "$source_dir" -o "$W/store256" --size 256 || status=$?
    echo "alexnet prepare exit status $status in $(( SECONDS - prepare_start )) s"
    rm -rf "$W/cifar10-jpeg" "$W/cifar-smoke"
    left=$(( LIMIT_NOW - (SECONDS - PART_START) ))
    if [ "$status" -ne 0 ]; then
      echo "FAIL: no store, so no training"
    elif [ "$SMOKE" -eq 0 ]; then
      # About 75 s of training when the budget allows, less when it does not (the rest: start, statistics, test).
      minutes=$(awk -v l="$left" 'BEGIN { m = (l - 50) / 60; if (m > 1.25) m = 1.25; printf "%.2f", m }')
      if awk -v m="$minutes" 'BEGIN { exit !(m >= 0.3) }'; then
        loop_train cifar256 "$left" --data "$W/store256" --preset alexnet --device cuda:0 --minutes "$minutes" --validation 500 || status=$?
      else
        echo "FAIL: only $left s left of this part, too little for the training run"
        status=3
      fi
    else
      loop_train cifar256 600 --data "$W/store256" --preset alexnet --device cpu --epochs 1 --minutes 0 --validation 6 --batch-size 8 || status=$?
    fi
    rm -rf "$W/store256"
  else
    status=2
  fi
  end_part loop-cifar "$status"
fi

# ---- equivalence, nccl, train-check: the checks of earlier runs, last ----
if [ "$SMOKE" -eq 0 ]; then
  app_part equivalence 60 "AlexNet.GpuCheck: versions and CUDA-vs-CPU equivalence of every kernel" --skip-benchmark
  app_part nccl 40 "AlexNet.GpuCheck: NCCL, one rank: all-reduce of the paper network's gradients (61 M floats), checked and timed" --nccl
  app_part train-check 120 "AlexNet.GpuCheck: model-level training check (paper AlexNet CPU vs GPU, memorisation, Fashion-MNIST)" --train-check --fmnist .fmnist
else
  not_in_smoke equivalence "Equivalence of every kernel"
  not_in_smoke nccl "NCCL, one rank"
  app_part train-check 900 "AlexNet.GpuCheck: model-level training check, CPU stand-in" --train-check --cpu-stand-in --fmnist .fmnist
fi

section "Summary (images/s; ratios against the fastest PyTorch configuration at the same precision)"
"$SUMMARY_PY" scripts/gpu_summary.py table "$results" | tee ${OUT:+"$OUT/gpu-check-summary.txt"}
{
  grep -E "^(EQUIVALENCE|NCCLCHECK|PARTS|PROFILE|PTFAIL|PYTORCH|MODELCHECK (tf32|towers|all|[0-9]))" "$results" | cut -c1-260
  grep -E "^TRAINCHECK " "$results" | cut -c1-220
  grep -E "^(LOOP|PART) " "$results"
  echo "parts passed: ${PASSED[*]:-none}; failed: ${FAILED[*]:-none}; skipped for the budget: ${SKIPPED[*]:-none}; $(( SECONDS - START )) s in all"
  if [ "${#FAILED[@]}" -gt 0 ] || [ "${#SKIPPED[@]}" -gt 0 ]; then
    rerun=$(IFS=,; echo "${FAILED[*]}${FAILED[*]:+${SKIPPED[*]:+,}}${SKIPPED[*]}")
    echo "rerun those with: scripts/gpu-check.sh --only $rerun --budget <seconds>"
  fi
} | tee -a ${OUT:+"$OUT/gpu-check-summary.txt"} /dev/null
status=${#FAILED[@]}
if [ -n "$TEE_PID" ]; then
  # Let tee write the end of the log before the device tool collects $OUT.
  exec >&- 2>&-
  wait "$TEE_PID" 2>/dev/null
fi
exit "$status"
