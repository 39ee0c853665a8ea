using System.Text.Json;
using AlexNet.Autograd;
using AlexNet.Layers;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Tests.Layers;

/// <summary>
/// torchvision's AlexNet end to end: the weights of scripts/make_torchvision_fixture.py (a formula both sides compute
/// bit for bit) are written as a safetensors file under torchvision's names, imported through
/// <see cref="SafeTensorsImport"/> with <see cref="Presets.TorchvisionAlexNetNames"/> into
/// <see cref="Presets.TorchvisionAlexNet"/>, and run in eval mode; the logits must match PyTorch's
/// (tests/AlexNet.Tests/Fixtures/torchvision-alexnet-logits.json).
/// </summary>
/// <remarks>
/// The F16 and BF16 files hold the weights rounded to nearest even, and the fixture's logits for those runs were
/// computed by PyTorch from the same rounded weights (<c>tensor.half().float()</c>, <c>tensor.to(torch.bfloat16).float()</c>),
/// so a faithful conversion meets the same tolerance as the F32 file. The tolerance covers float32 summation order only
/// (oneDNN/MKL in PyTorch, our GEMM and im2col here, sums of up to 9,216 terms): |ours − PyTorch| ≤ 5e-5·max|logit| (measured: 2.2e-6 to 3.5e-6 of it on an AVX-512 CPU).
/// </remarks>
public sealed class TorchvisionFixtureTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 5e-5;

    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-torchvision-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed record FixtureTensor(string Name, int Seed, int[] Shape, int FanIn);

    private sealed record FixtureRun(int Size, int Images, string Dtype, float[][] Logits);

    private sealed record Fixture(string Source, FixtureTensor[] Tensors, int ImageSeedBase, FixtureRun[] Runs);

    [Fact]
    public void TorchvisionWeightsImportedFromSafetensorsGivePyTorchsLogits()
    {
        var fixture = ReadFixture();
        var tensors = fixture.Tensors
            .Select(t => KeyValuePair.Create(t.Name, Tensor.FromArray(Formula(t.Shape.Aggregate(1, (a, d) => a * d), t.Seed, Math.Sqrt(6.0 / t.FanIn)), new Shape(t.Shape))))
            .ToList();
        try
        {
            foreach (var dtype in fixture.Runs.Select(r => r.Dtype).Distinct())
            {
                var file = Path.Combine(_folder, $"alexnet-{dtype}.safetensors");
                SafeTensors.Save(file, tensors, new Dictionary<string, string> { ["format"] = "pt" }, Enum.Parse<SafeTensorsDtype>(dtype));
                var network = Presets.TorchvisionAlexNet();
                Assert.Equal(61_100_840, network.ParameterCount);
                var parameters = SafeTensorsImport.Load(file, network, Presets.TorchvisionAlexNetNames);
                try
                {
                    foreach (var run in fixture.Runs.Where(r => r.Dtype == dtype)) Check(fixture, run, parameters);
                }
                finally
                {
                    parameters.DisposeAll();
                }
                File.Delete(file);
            }
        }
        finally
        {
            foreach (var (_, t) in tensors) t.Dispose();
        }
    }

    private void Check(Fixture fixture, FixtureRun run, TensorMap parameters)
    {
        var network = Presets.TorchvisionAlexNet(size: run.Size);
        int plane = 3 * run.Size * run.Size;
        var pixels = new float[run.Images * plane];
        for (int n = 0; n < run.Images; n++) Formula(plane, fixture.ImageSeedBase + n, 1.0).CopyTo(pixels, n * plane);
        using var x = Tensor.FromArray(pixels, new Shape(run.Images, 3, run.Size, run.Size));
        using var logits = network.Apply(parameters, x, Mode.Eval, RandomKey.FromSeed(0));
        var ours = logits.ToArray();
        var expected = run.Logits.SelectMany(r => r).ToArray();
        Assert.Equal(expected.Length, ours.Length);
        double scale = expected.Max(v => Math.Abs((double)v)), maxAbs = 0, maxRel = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            double d = Math.Abs(ours[i] - (double)expected[i]);
            maxAbs = Math.Max(maxAbs, d);
            if (Math.Abs(expected[i]) > 1e-3 * scale) maxRel = Math.Max(maxRel, d / Math.Abs(expected[i]));
        }
        output.WriteLine($"{run.Dtype} file, {run.Images}×3×{run.Size}×{run.Size}: max |logit| {scale:G4}, max abs diff {maxAbs:G3} " +
                         $"({maxAbs / scale:G3} of max |logit|), max rel diff {maxRel:G3} (logits above 1e-3·max)");
        Assert.True(maxAbs <= Tolerance * scale,
            $"{run.Dtype} at {run.Size}×{run.Size}: max |ours − PyTorch| = {maxAbs:G3} exceeds {Tolerance}·{scale:G4}");
        // The classes PyTorch ranks first are ours too.
        for (int n = 0; n < run.Images; n++)
        {
            var row = ours.AsSpan(n * 1000, 1000).ToArray();
            Assert.Equal(Array.IndexOf(run.Logits[n], run.Logits[n].Max()), Array.IndexOf(row, row.Max()));
        }
    }

    /// <summary>The fixture's formula (see scripts/make_torchvision_fixture.py): a 32-bit integer hash of the element
    /// index and seed, 24 bits of it as a fraction in [−1, 1), times <paramref name="scale"/> in float64, rounded once.</summary>
    internal static float[] Formula(int count, int seed, double scale)
    {
        var values = new float[count];
        uint offset = unchecked((uint)(seed * 40503 + 12345));
        for (int i = 0; i < count; i++)
        {
            uint u = unchecked((uint)i * 2654435761u + offset);
            u ^= u >> 15;
            u = unchecked(u * 2246822519u);
            u ^= u >> 13;
            uint k = u >> 8;
            values[i] = (float)((2.0 * k - 16777216.0) / 16777216.0 * scale);
        }
        return values;
    }

    private static Fixture ReadFixture()
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "AlexNet.Tests", "Fixtures", "torchvision-alexnet-logits.json");
        return JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
               ?? throw new InvalidDataException($"'{path}' is empty.");
    }

    /// <summary>The checkout holding this test (the folder with AlexNet.sln above the test binaries).</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AlexNet.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No AlexNet.sln above {AppContext.BaseDirectory}: run the tests from the checkout.");
    }
}
