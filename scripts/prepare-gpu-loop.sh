#!/usr/bin/env bash
# Makes what the training-loop part of scripts/gpu-check.sh needs, in ignored paths that travel with the working tree
# (name them in the device call's carry): the self-contained `alexnet` CLI packed as publish/alexnet.tar.xz (the GPU
# machine has no .NET SDK; untrimmed it is 43 MB, packed about 14 MB) and a CIFAR-10 subset as
# .cifar/cifar10-jpeg.tar.gz (2,000 training and 500 test photographs per class, about 8 MB; the GPU machine has no
# network and no ../shared). Everything carried, with publish/gpucheck and .fmnist/, must stay under 64 MiB: the sizes
# are printed at the end. Run it here, on a machine with the SDK, before the GPU call.
# Trimming is partial (framework assemblies only) because checkpoints and metrics use reflection-based JSON.
# Usage: scripts/prepare-gpu-loop.sh [path of cifar10-jpeg.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHIVE=${1:-../shared/datasets/cifar10-jpeg.tar.gz}
[ -f "$ARCHIVE" ] || { echo "error: $ARCHIVE is missing; pass the path of cifar10-jpeg.tar.gz" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
tar -xzf "$ARCHIVE" -C "$WORK"
mkdir -p "$WORK/subset/cifar10-jpeg"
for split_count in train:2000 test:500; do
  split=${split_count%%:*}; count=${split_count##*:}
  for class_dir in "$WORK/cifar10-jpeg/$split"/*/; do
    class=$(basename "$class_dir")
    mkdir -p "$WORK/subset/cifar10-jpeg/$split/$class"
    find "$class_dir" -maxdepth 1 -name '*.jpg' | sort | sed -n "1,${count}p" | xargs -r cp -t "$WORK/subset/cifar10-jpeg/$split/$class"
  done
done
mkdir -p .cifar
tar -czf .cifar/cifar10-jpeg.tar.gz.tmp -C "$WORK/subset" cifar10-jpeg && mv .cifar/cifar10-jpeg.tar.gz.tmp .cifar/cifar10-jpeg.tar.gz
rm -rf publish/alexnet
dotnet publish samples/AlexNet.Train -c Release -r linux-x64 --self-contained true -p:InvariantGlobalization=true \
  -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true \
  -p:JsonSerializerIsReflectionEnabledByDefault=true -p:DebugType=none -p:GenerateDocumentationFile=false -o publish/alexnet
tar -cJf publish/alexnet.tar.xz.tmp -C publish alexnet && mv publish/alexnet.tar.xz.tmp publish/alexnet.tar.xz
rm -rf publish/alexnet
du -sh publish/alexnet.tar.xz .cifar/cifar10-jpeg.tar.gz publish/gpucheck .fmnist 2>/dev/null || true
