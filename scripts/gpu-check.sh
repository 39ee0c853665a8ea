#!/usr/bin/env bash
# The GPU check, for the GPU machine (CUDA 13, driver 580, PyTorch at /opt/torch/.venv, no .NET, no network).
# Needs the self-contained build made beforehand on a machine with the .NET SDK:
#   dotnet publish bench/AlexNet.GpuCheck -c Release -r linux-x64 --self-contained true \
#     -p:InvariantGlobalization=true -p:PublishTrimmed=true -o publish/gpucheck
# The model-level training check reads Fashion-MNIST from .fmnist/ (ignored; made here by scripts/prepare-fmnist-subset.sh,
# carried with the tree); without it that part is skipped.
# The training-loop part runs the `alexnet` CLI as a user does: it needs a second self-contained build packed as
# publish/alexnet.tar.xz and a CIFAR-10 subset in .cifar/cifar10-jpeg.tar.gz (both ignored, carried with the tree;
# scripts/prepare-gpu-loop.sh makes them). It prepares a 256×256 store of those photographs (`alexnet prepare`), then
# trains the paper preset on it for 3 minutes on cuda:0 (`alexnet train --device cuda:0 --minutes 3`), sampling GPU
# utilisation with nvidia-smi; without the build or the archive that part is skipped.
# Prints nvidia-smi, the library versions, the CUDA-vs-CPU equivalence table, the AlexNet benchmark of this project and
# of PyTorch, and a final table with both figures and their ratio. Everything goes to stdout and, when $OUT is set,
# to $OUT/gpu-check.log (and the final table to $OUT/gpu-check-summary.txt). Takes a few minutes.
# Usage: scripts/gpu-check.sh [arguments for AlexNet.GpuCheck, e.g. --batch 128 --steps 10]
set -uo pipefail
cd "$(dirname "$0")/.."

if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  exec > >(tee "$OUT/gpu-check.log") 2>&1
fi

section() { printf '\n==== %s ====\n' "$1"; }
results=$(mktemp)
trap 'rm -f "$results"' EXIT

section "Machine"
date -u
uname -a
timeout 30 nvidia-smi || echo "nvidia-smi failed or is missing"

section "CUDA libraries from the PyTorch venv"
PY=/opt/torch/.venv/bin/python
[ -x "$PY" ] || PY=$(command -v python3)
SITE=$(timeout 60 "$PY" -c "import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))" 2>/dev/null)
if [ -z "$SITE" ]; then
  SITE=/opt/torch/.venv/lib/python3.12/site-packages
  echo "python could not locate the nvidia packages; assuming $SITE"
fi
LIBDIRS=""
for d in "$SITE/nvidia/cu13/lib" "$SITE/nvidia/nccl/lib" "$SITE/nvidia/cudnn/lib" "$SITE/nvidia/cublas/lib" "$SITE/nvidia/cuda_runtime/lib" "$SITE/nvidia/cuda_nvrtc/lib"; do
  if [ -d "$d" ]; then
    LIBDIRS="${LIBDIRS:+$LIBDIRS:}$d"
    echo "$d:"
    ls "$d" | sed 's/^/  /'
  fi
done
export LD_LIBRARY_PATH="${LIBDIRS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export ALEXNET_CUDA_PATH="$LIBDIRS"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"

APP=publish/gpucheck/AlexNet.GpuCheck
# Two processes, so that a kernel fault that poisons the CUDA context in one part cannot take the other down.
run_app() { # title, time limit, arguments...
  local title=$1 limit=$2
  shift 2
  section "AlexNet.GpuCheck: $title"
  if [ ! -f "$APP" ]; then
    echo "FAIL: $APP is missing; publish it first (see the top of this script)"
    return
  fi
  chmod +x "$APP" 2>/dev/null || true
  timeout -k 10 "$limit" "$APP" "$@" | tee -a "$results"
  local status=${PIPESTATUS[0]}
  [ "$status" -eq 124 ] && echo "FAIL: AlexNet.GpuCheck ($title) ran past its $limit s limit"
  echo "AlexNet.GpuCheck ($title) exit status $status (0 = fine, 1 = some equivalence checks failed, 2 = no device or libraries)"
}
run_app "versions and CUDA-vs-CPU equivalence" 100 --skip-benchmark "$@"
run_app "AlexNet benchmark" 130 --skip-equivalence "$@"
run_app "AlexNet benchmark through the Layers path (Network.Apply + ValueAndGrad + SgdMomentum)" 90 --layers-benchmark
FMNIST_ARGS=()
if [ -f .fmnist/train-images-idx3-ubyte.gz ]; then FMNIST_ARGS=(--fmnist .fmnist); else echo "note: .fmnist/ is missing; the Fashion-MNIST part will be skipped"; fi
run_app "NCCL, one rank: all-reduce of the paper network's gradients (61 M floats), checked and timed" 60 --nccl
run_app "model-level training check (paper AlexNet CPU vs GPU, memorisation, Fashion-MNIST)" 150 --train-check "${FMNIST_ARGS[@]}"

CLI=publish/alexnet/alexnet
[ -f "$CLI" ] || { [ -f publish/alexnet.tar.xz ] && tar -xJf publish/alexnet.tar.xz -C publish; }
if [ -f "$CLI" ] && [ -f .cifar/cifar10-jpeg.tar.gz ]; then
  section "Training loop: alexnet train, paper preset, 256×256 store of CIFAR-10, cuda:0, 3 minutes"
  chmod +x "$CLI" 2>/dev/null || true
  LOOP=$(mktemp -d)
  tar -xzf .cifar/cifar10-jpeg.tar.gz -C "$LOOP"
  timeout -k 10 240 "$CLI" prepare --data "$LOOP/cifar10-jpeg" -o "$LOOP/store256" --size 256
  rm -rf "$LOOP/cifar10-jpeg"
  timeout 300 nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv -l 5 > "$LOOP/smi.csv" 2>&1 &
  SMI=$!
  timeout -k 10 330 "$CLI" train --data "$LOOP/store256" --preset alexnet --device cuda:0 --minutes 3 --validation 1000 -o "$LOOP/run" | tee -a "$results"
  echo "alexnet train exit status ${PIPESTATUS[0]}"
  kill "$SMI" 2>/dev/null
  echo "GPU utilisation during the run (nvidia-smi every 5 s):"
  cat "$LOOP/smi.csv"
  [ -n "${OUT:-}" ] && cp "$LOOP/run/metrics.csv" "$OUT/cifar256-metrics.csv" 2>/dev/null
  rm -rf "$LOOP"
else
  echo "note: publish/alexnet.tar.xz or .cifar/cifar10-jpeg.tar.gz is missing; the training-loop part is skipped (see the top of this script)"
fi

section "PyTorch reference"
timeout -k 10 130 "$PY" scripts/pytorch_reference.py | tee -a "$results"
status=${PIPESTATUS[0]}
[ "$status" -eq 124 ] && echo "FAIL: pytorch_reference.py ran past its 130 s limit"

section "Summary (images/s; ratios against PyTorch; TF32 off on both sides)"
"$PY" - "$results" <<'PYEOF' | tee ${OUT:+"$OUT/gpu-check-summary.txt"}
import re, sys
rows = {}
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if not line.startswith("RESULT "):
        continue
    kv = dict(re.findall(r"(\w+)=(\S+)", line))
    rows[(kv["mode"], int(kv["batch"]), kv["impl"])] = kv
keys = sorted({(m, b) for (m, b, _) in rows})
def num(kv, key="images_per_s"):
    try:
        return float(kv.get(key, "nan"))
    except ValueError:
        return float("nan")
def ratio(a, p):
    return a / p if p == p and p > 0 and a == a else float("nan")
print("hand-wired = AlexNet.NET kernels called directly (AlexNetStep); layers = Network.Apply + ValueAndGrad + SgdMomentum (the user path)")
print(f"{'mode':<6} {'batch':>5} {'hand-wired':>11} {'layers':>9} {'PyTorch':>9} {'hand/PT':>8} {'layers/PT':>10} {'layers/hand':>12} {'peak MiB hand/layers/PT':>25}")
for mode, batch in keys:
    hand = rows.get((mode, batch, "alexnet.net"), {})
    layers = rows.get((mode, batch, "alexnet.net-layers"), {})
    ref = rows.get((mode, batch, "pytorch"), {})
    h, l, p = num(hand), num(layers), num(ref)
    peaks = "/".join(x.get("peak_mib", "-") for x in (hand, layers, ref))
    print(f"{mode:<6} {batch:>5} {h:>11.1f} {l:>9.1f} {p:>9.1f} {ratio(h, p):>8.2f} {ratio(l, p):>10.2f} {ratio(l, h):>12.2f} {peaks:>25}")
    trainer = rows.get((mode, batch, "alexnet.net-layers-trainer"))
    if trainer:
        print(f"{'':<6} {'':>5} {'':>11} {num(trainer):>9.1f}  (layers step as the Facade Trainer runs it: + loss.Item() and logits.ToArray() per step)")
if not keys:
    print("no RESULT lines were produced")
PYEOF
grep -E "^EQUIVALENCE " "$results" || echo "EQUIVALENCE not run"
grep -E "^PARTS " "$results" || true
grep -E "^TRAINCHECK " "$results" | cut -c1-220 || true
grep -qE "^TRAINCHECK " "$results" || echo "TRAINCHECK not run"
