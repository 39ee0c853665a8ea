using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Gpu.Diagnostics;

/// <summary>
/// Runs the same kernel calls on a reference and a candidate backend and compares their outputs: buffers come in
/// pairs holding the same host data, and every buffer made is disposed with the pair.
/// </summary>
internal sealed class BackendPair : IDisposable
{
    private readonly List<DeviceBuffer> _owned = [];
    private readonly List<EquivalenceResult> _results = [];
    private readonly string _case;

    /// <summary>Pairs <paramref name="reference"/> with <paramref name="candidate"/> for case <paramref name="caseName"/>.</summary>
    public BackendPair(string caseName, IBackend reference, IBackend candidate)
    {
        _case = caseName;
        Reference = reference;
        Candidate = candidate;
    }

    /// <summary>The backend whose outputs are taken as right.</summary>
    public IBackend Reference { get; }

    /// <summary>The backend under test.</summary>
    public IBackend Candidate { get; }

    /// <summary>The comparisons made so far.</summary>
    public IReadOnlyList<EquivalenceResult> Results => _results;

    /// <summary>Uploads the same data to both backends.</summary>
    public (DeviceBuffer R, DeviceBuffer C) Upload(float[] data) => (Own(Reference.Upload(data)), Own(Candidate.Upload(data)));

    /// <summary>Uploads <paramref name="count"/> deterministic uniform numbers in [low, high) to both backends.</summary>
    public (DeviceBuffer R, DeviceBuffer C) Random(int count, long seed, float low = -1f, float high = 1f) =>
        Upload(Data(count, seed, low, high));

    /// <summary>Output buffers on both backends, pre-filled with NaN so that an element never written shows up.</summary>
    public (DeviceBuffer R, DeviceBuffer C) Output(int count)
    {
        var nan = new float[count];
        Array.Fill(nan, float.NaN);
        return Upload(nan);
    }

    /// <summary>Runs <paramref name="call"/> on both backends (reference first).</summary>
    public void Run(Action<IBackend, DeviceBuffer[]> call, params (DeviceBuffer R, DeviceBuffer C)[] buffers)
    {
        call(Reference, buffers.Select(b => b.R).ToArray());
        call(Candidate, buffers.Select(b => b.C).ToArray());
    }

    /// <summary>Downloads both buffers' first <paramref name="count"/> elements and records the comparison.</summary>
    public void Compare(string output, (DeviceBuffer R, DeviceBuffer C) buffer, int count, double absTolerance, double relTolerance)
    {
        var expected = new float[count];
        var actual = new float[count];
        Reference.Download(buffer.R, expected);
        Candidate.Download(buffer.C, actual);
        _results.Add(Measure(_case, output, expected, actual, absTolerance, relTolerance));
    }

    /// <summary>Compares two arrays: NaN matches NaN only, infinities must match exactly.</summary>
    public static EquivalenceResult Measure(string caseName, string output, float[] expected, float[] actual, double absTolerance, double relTolerance)
    {
        bool passed = expected.Length == actual.Length;
        double maxAbs = 0, maxRel = 0;
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e) || double.IsNaN(a) || double.IsInfinity(e) || double.IsInfinity(a))
            {
                bool same = e.Equals(a);
                if (!same)
                {
                    passed = false;
                    maxAbs = double.PositiveInfinity;
                    maxRel = double.PositiveInfinity;
                }
                continue;
            }
            double abs = Math.Abs(a - e);
            maxAbs = Math.Max(maxAbs, abs);
            maxRel = Math.Max(maxRel, abs / Math.Max(Math.Abs(e), 1e-6));
            if (abs > absTolerance + relTolerance * Math.Abs(e)) passed = false;
        }
        return new EquivalenceResult(caseName, output, passed, maxAbs, maxRel, absTolerance, relTolerance);
    }

    /// <summary>Deterministic uniform data from <see cref="RandomKey"/>.</summary>
    public static float[] Data(int count, long seed, float low = -1f, float high = 1f)
    {
        var key = RandomKey.FromSeed(seed);
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = low + (high - low) * key.Uniform(i);
        return data;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var b in _owned) b.Dispose();
        _owned.Clear();
    }

    private DeviceBuffer Own(DeviceBuffer b)
    {
        _owned.Add(b);
        return b;
    }
}
