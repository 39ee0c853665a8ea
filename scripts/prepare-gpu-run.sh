#!/usr/bin/env bash
# Makes everything the GPU run (scripts/gpu-check.sh, one call of the device tool; scripts/gpu-run.md) needs, in
# ignored paths that travel with the working tree when the call names them in its carry list (the GPU machine has no
# .NET SDK, no network and no ../shared):
#   publish/gpucheck.tar.xz     AlexNet.GpuCheck, self-contained and trimmed, packed
#   publish/alexnet.tar.xz      the `alexnet` CLI, self-contained, partly trimmed (checkpoints and metrics use
#                               reflection-based JSON), packed
#   .fmnist/                    Fashion-MNIST: the first 20,000 training images and the 10,000 test images (IDX .gz)
#   .cifar/cifar10-jpeg.tar.gz  a CIFAR-10 subset: 1,000 training and 200 test photographs per class
# All carried paths together must stay under 64 MiB (checked at the end, with the sizes printed). Run it here, on a
# machine with the SDK, before the GPU call; it takes a few minutes (two publishes).
# Usage: scripts/prepare-gpu-run.sh [path of cifar10-jpeg.tar.gz] [folder of the Fashion-MNIST .gz files]
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHIVE=${1:-../shared/datasets/cifar10-jpeg.tar.gz}
FASHION=${2:-/usr/share/datasets/fashion-mnist}
[ -f "$ARCHIVE" ] || { echo "error: $ARCHIVE is missing; pass the path of cifar10-jpeg.tar.gz as the first argument" >&2; exit 1; }
[ -f "$FASHION/train-images-idx3-ubyte.gz" ] || [ -f "$FASHION/train-images-idx3-ubyte" ] || {
  echo "error: no Fashion-MNIST in $FASHION; install it (apt-get install -y dataset-fashion-mnist) or pass its folder as the second argument" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== AlexNet.GpuCheck → publish/gpucheck.tar.xz"
rm -rf publish/gpucheck
dotnet publish bench/AlexNet.GpuCheck -c Release -r linux-x64 --self-contained true -p:InvariantGlobalization=true \
  -p:PublishTrimmed=true -p:DebugType=none -p:GenerateDocumentationFile=false -o publish/gpucheck
tar -cJf publish/gpucheck.tar.xz.tmp -C publish gpucheck && mv publish/gpucheck.tar.xz.tmp publish/gpucheck.tar.xz
rm -rf publish/gpucheck

echo "== alexnet CLI → publish/alexnet.tar.xz"
rm -rf publish/alexnet
dotnet publish samples/AlexNet.Train -c Release -r linux-x64 --self-contained true -p:InvariantGlobalization=true \
  -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true \
  -p:JsonSerializerIsReflectionEnabledByDefault=true -p:DebugType=none -p:GenerateDocumentationFile=false -o publish/alexnet
tar -cJf publish/alexnet.tar.xz.tmp -C publish alexnet && mv publish/alexnet.tar.xz.tmp publish/alexnet.tar.xz
rm -rf publish/alexnet

echo "== Fashion-MNIST subset → .fmnist"
scripts/prepare-fmnist-subset.sh 20000 "$FASHION" .fmnist

echo "== CIFAR-10 subset → .cifar/cifar10-jpeg.tar.gz"
tar -xzf "$ARCHIVE" -C "$WORK"
mkdir -p "$WORK/subset/cifar10-jpeg"
for split_count in train:1000 test:200; do
  split=${split_count%%:*}; count=${split_count##*:}
  for class_dir in "$WORK/cifar10-jpeg/$split"/*/; do
    class=$(basename "$class_dir")
    mkdir -p "$WORK/subset/cifar10-jpeg/$split/$class"
    find "$class_dir" -maxdepth 1 -name '*.jpg' | sort | sed -n "1,${count}p" | xargs -r cp -t "$WORK/subset/cifar10-jpeg/$split/$class"
  done
done
mkdir -p .cifar
tar -czf .cifar/cifar10-jpeg.tar.gz.tmp -C "$WORK/subset" cifar10-jpeg && mv .cifar/cifar10-jpeg.tar.gz.tmp .cifar/cifar10-jpeg.tar.gz

echo "== sizes of what the device call carries (limit 64 MiB with the working tree)"
du -sb publish/gpucheck.tar.xz publish/alexnet.tar.xz .fmnist .cifar | awk '{ printf "%8.1f MiB  %s\n", $1 / 1048576, $2 }'
tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
total=$(( $(du -sb publish/gpucheck.tar.xz publish/alexnet.tar.xz .fmnist .cifar | awk '{ s += $1 } END { print s }') + tree ))
awk -v t="$tree" -v a="$total" 'BEGIN { printf "%8.1f MiB  tracked files of the working tree\n%8.1f MiB  in all\n", t / 1048576, a / 1048576 }'
[ "$total" -lt $(( 60 * 1048576 )) ] || { echo "error: more than 60 MiB would travel; the device call carries at most 64 MiB" >&2; exit 1; }
