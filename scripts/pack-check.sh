#!/usr/bin/env bash
# Packs the solution into a local feed and takes the packages as a user would: AlexNet.Layers (with AlexNet.Autograd,
# which it brings along) and AlexNet.Facade into a fresh console project that builds, runs a small network, prints its
# output shape and writes and decodes a PNG (SkiaSharp's native library, from nuget.org), and the alexnet CLI as a
# .NET tool whose --help runs. Everything happens in a temporary folder with its own NuGet
# configuration (the local feed, plus nuget.org for third-party dependencies such as System.Numerics.Tensors and
# SkiaSharp) and its own global packages folder, so a stale cached copy of the same version can never stand in for the
# packages just built.
#
# usage: scripts/pack-check.sh [--keep]   (--keep leaves the temporary folder in place and prints its path)
set -euo pipefail

keep=false
case "${1:-}" in
  "") ;;
  --keep) keep=true ;;
  *) echo "usage: $0 [--keep]  (unknown argument '$1')" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/alexnet-pack-check.XXXXXX")"
if $keep; then echo "keeping $work"; else trap 'rm -rf "$work"' EXIT; fi
feed="$work/feed"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== dotnet pack AlexNet.sln -c Release -o $feed"
dotnet pack "$root/AlexNet.sln" -c Release -o "$feed" -nologo -clp:NoSummary
echo
echo "== packages in the feed"
( cd "$feed" && for f in *.nupkg *.snupkg; do printf '%10d  %s\n' "$(stat -c %s "$f")" "$f"; done )

layers=$(ls "$feed" | sed -n 's/^AlexNet\.Layers\.\([0-9][^a-z]*\)\.nupkg$/\1/p')
[ -n "$layers" ] || { echo "AlexNet.Layers.<version>.nupkg is missing from $feed" >&2; exit 1; }
tool=$(ls "$feed" | sed -n 's/^alexnet\.\([0-9][^a-z]*\)\.nupkg$/\1/p')
[ -n "$tool" ] || { echo "alexnet.<version>.nupkg (the CLI tool) is missing from $feed" >&2; exit 1; }

# From here on, the user's side: a packages folder of its own (the repository's builds keep the usual one).
export NUGET_PACKAGES="$work/nuget-packages"
cat > "$work/NuGet.Config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
CONFIG

echo
facade=$(ls "$feed" | sed -n 's/^AlexNet\.Facade\.\([0-9][^a-z]*\)\.nupkg$/\1/p')
[ -n "$facade" ] || { echo "AlexNet.Facade.<version>.nupkg is missing from $feed" >&2; exit 1; }

echo "== a fresh console project: dotnet add package AlexNet.Layers --version $layers; AlexNet.Facade --version $facade"
dotnet new console --name PackCheck --output "$work/app" --framework net10.0 >/dev/null
cd "$work/app"
dotnet add package AlexNet.Layers --version "$layers"
dotnet add package AlexNet.Facade --version "$facade"
cat > Program.cs <<'PROGRAM'
using AlexNet.Autograd;
using AlexNet.Facade;
using AlexNet.Facade.Visualization;
using AlexNet.Layers;

// A small LeNet-like network through the public API, and the 28×28 AlexNet preset: Init, Apply, output shape.
var lenet = Network.Create(new Shape(1, 28, 28),
[
    new Conv("conv1", 6, 5, Pad: 2), new Relu("relu1"), new MaxPool("pool1", 2, 2),
    new Conv("conv2", 16, 5), new Relu("relu2"), new MaxPool("pool2", 2, 2),
    new Flatten("flatten"), new Dense("fc1", 120), new Relu("relu3"), new Dense("fc2", 10), new Softmax("prob"),
]);
var key = RandomKey.FromSeed(7);
foreach (var network in new[] { lenet, Presets.AlexNetFashion() })
{
    var parameters = network.Init(key.Fold(0));
    using var x = Tensor.Normal(key.Fold(1), new Shape([4, .. network.InputShape.Dims]));
    using var logits = network.Apply(parameters, x, Mode.Eval, key.Fold(2));
    using var probabilities = Inference.PredictProbabilities(network, parameters, x);
    var sums = probabilities.ToArray().Chunk(probabilities.Shape.Dims[^1]).Select(r => r.Sum().ToString("F4"));
    Console.WriteLine($"{network}: logits {logits.Shape}, probability rows sum to {string.Join(", ", sums)}");
    parameters.DisposeAll();
}

// SkiaSharp's native library, through AlexNet.Facade: conv1's kernels to a PNG and back.
var weights = lenet.Init(key.Fold(3));
var png = Path.Combine(Path.GetTempPath(), $"pack-check-{Environment.ProcessId}.png");
FilterGrid.SavePng(weights["conv1.weight"], towers: 1, png);
var (width, height) = ImageDecoder.Dimensions(png);
var pixels = ImageDecoder.DecodeSquare(png, 16);
File.Delete(png);
Console.WriteLine($"conv1 kernels as a {width}×{height} PNG, decoded back to {pixels.Length} bytes at 16×16");
weights.DisposeAll();
PROGRAM
echo
echo "== dotnet run (the console project)"
dotnet run -c Release

echo
echo "== dotnet tool install --tool-path $work/tools --add-source $feed --version $tool alexnet"
cd "$work"
dotnet tool install --tool-path "$work/tools" --add-source "$feed" --version "$tool" alexnet
echo
echo "== alexnet --help"
"$work/tools/alexnet" --help
echo
echo "pack-check: the packages install from $feed and run"
