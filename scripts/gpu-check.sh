#!/usr/bin/env bash
# The GPU check, for the GPU machine (CUDA 13, driver 580, PyTorch at /opt/torch/.venv, no .NET, no network).
# Needs the self-contained build made beforehand on a machine with the .NET SDK:
#   dotnet publish bench/AlexNet.GpuCheck -c Release -r linux-x64 --self-contained true \
#     -p:InvariantGlobalization=true -p:PublishTrimmed=true -o publish/gpucheck
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
for d in "$SITE/nvidia/cu13/lib" "$SITE/nvidia/cudnn/lib" "$SITE/nvidia/cublas/lib" "$SITE/nvidia/cuda_runtime/lib" "$SITE/nvidia/cuda_nvrtc/lib"; do
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

section "PyTorch reference"
timeout -k 10 130 "$PY" scripts/pytorch_reference.py | tee -a "$results"
status=${PIPESTATUS[0]}
[ "$status" -eq 124 ] && echo "FAIL: pytorch_reference.py ran past its 130 s limit"

section "Summary (images/s; ratio = AlexNet.NET / PyTorch; TF32 off on both sides)"
"$PY" - "$results" <<'PYEOF' | tee ${OUT:+"$OUT/gpu-check-summary.txt"}
import re, sys
rows = {}
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if not line.startswith("RESULT "):
        continue
    kv = dict(re.findall(r"(\w+)=(\S+)", line))
    rows[(kv["mode"], int(kv["batch"]), kv["impl"])] = kv
keys = sorted({(m, b) for (m, b, _) in rows})
print(f"{'mode':<6} {'batch':>5} {'AlexNet.NET img/s':>18} {'PyTorch img/s':>14} {'ratio':>6} {'.NET peak MiB':>14} {'PyTorch peak MiB':>17}")
for mode, batch in keys:
    ours = rows.get((mode, batch, "alexnet.net"), {})
    ref = rows.get((mode, batch, "pytorch"), {})
    a = float(ours.get("images_per_s", "nan"))
    p = float(ref.get("images_per_s", "nan"))
    ratio = a / p if p == p and p > 0 else float("nan")
    print(f"{mode:<6} {batch:>5} {a:>18.1f} {p:>14.1f} {ratio:>6.2f} {ours.get('peak_mib', '-'):>14} {ref.get('peak_mib', '-'):>17}")
if not keys:
    print("no RESULT lines were produced")
PYEOF
grep -E "^EQUIVALENCE " "$results" || echo "EQUIVALENCE not run"
