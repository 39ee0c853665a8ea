#!/usr/bin/env bash
# Makes what the training-loop part of scripts/gpu-check.sh needs, in ignored folders that travel with the working tree:
# the self-contained `alexnet` CLI in publish/alexnet (the GPU machine has no .NET SDK) and the CIFAR-10 JPEG archive in
# .cifar/ (the GPU machine has no network and no ../shared). Run it here, on a machine with the SDK, before the GPU call.
# Usage: scripts/prepare-gpu-loop.sh [path of cifar10-jpeg.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHIVE=${1:-../shared/datasets/cifar10-jpeg.tar.gz}
[ -f "$ARCHIVE" ] || { echo "error: $ARCHIVE is missing; pass the path of cifar10-jpeg.tar.gz" >&2; exit 1; }
mkdir -p .cifar
cp "$ARCHIVE" .cifar/cifar10-jpeg.tar.gz
dotnet publish samples/AlexNet.Train -c Release -r linux-x64 --self-contained true \
  -p:InvariantGlobalization=true -p:PublishTrimmed=true -o publish/alexnet
du -sh publish/alexnet .cifar
