using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Bench;

/// <summary>
/// The paper's network run through the kernels as a training step would: the convolutional stack (conv1 relu lrn pool,
/// conv2 relu lrn pool, conv3 relu, conv4 relu, conv5 relu pool) forward and backward (no input gradient for conv1),
/// and with <c>classifier</c> also fc6/fc7 (relu, dropout 0.5), fc8, softmax cross-entropy and the SGD update of every
/// parameter: the same work as the peer's whole-network training step.
/// </summary>
internal sealed class StackBench : IDisposable
{
    private readonly IBackend _backend;
    private readonly int _batch;
    private readonly bool _classifier;
    private readonly List<DeviceBuffer> _buffers = [];
    private readonly ConvGeometry[] _convs;
    private readonly DeviceBuffer[] _x, _w, _bias, _y, _dy, _dx, _dw, _db, _vw, _vb;
    private readonly LrnGeometry _lrn1, _lrn2;
    private readonly PoolGeometry _pool1, _pool2, _pool5;
    private readonly DeviceBuffer _n1, _n2, _p5, _dp5, _dn1, _dn2;
    private readonly (int In, int Out)[] _dense = [(9216, 4096), (4096, 4096), (4096, 1000)];
    private readonly DeviceBuffer[] _fw, _fb, _fvw, _fvb, _fdw, _fdb, _fin, _fout, _fmask, _fdin, _fdout;
    private readonly DeviceBuffer _labels, _loss, _probabilities, _dloss;

    private StackBench(IBackend backend, int batch, bool classifier)
    {
        _backend = backend;
        _batch = batch;
        _classifier = classifier;
        _convs = PaperLayers.Convs(batch).Select(c => c.Geometry).ToArray();
        _x = _convs.Select(g => New(g.InputCount)).ToArray();
        _w = _convs.Select(g => New(g.WeightCount)).ToArray();
        _bias = _convs.Select(g => New(g.OutChannels)).ToArray();
        _y = _convs.Select(g => New(g.OutputCount)).ToArray();
        _dy = _convs.Select(g => New(g.OutputCount)).ToArray();
        _dx = _convs.Select(g => New(g.InputCount)).ToArray();
        _dw = _convs.Select(g => New(g.WeightCount)).ToArray();
        _db = _convs.Select(g => New(g.OutChannels)).ToArray();
        _vw = _convs.Select(g => New(g.WeightCount)).ToArray();
        _vb = _convs.Select(g => New(g.OutChannels)).ToArray();
        var key = RandomKey.FromSeed(3);
        backend.FillUniform(_x[0], _convs[0].InputCount, key, 0f, 1f);
        for (int i = 0; i < 5; i++) backend.FillNormal(_w[i], _convs[i].WeightCount, key.Fold((ulong)i), 0f, 0.01f);
        _lrn1 = PaperLayers.Lrn(batch, 96, 55);
        _lrn2 = PaperLayers.Lrn(batch, 256, 27);
        _pool1 = PaperLayers.Pool(batch, 96, 55);
        _pool2 = PaperLayers.Pool(batch, 256, 27);
        _pool5 = PaperLayers.Pool(batch, 256, 13);
        _n1 = New(_lrn1.Count);
        _n2 = New(_lrn2.Count);
        _p5 = New(_pool5.OutputCount);
        _dp5 = New(_pool5.OutputCount);
        _dn1 = New(_lrn1.Count);
        _dn2 = New(_lrn2.Count);
        backend.FillUniform(_dp5, _pool5.OutputCount, key.Fold(9), -1f, 1f);
        int layers = classifier ? _dense.Length : 0;
        _fw = Dense(layers, d => d.In * d.Out);
        _fb = Dense(layers, d => d.Out);
        _fvw = Dense(layers, d => d.In * d.Out);
        _fvb = Dense(layers, d => d.Out);
        _fdw = Dense(layers, d => d.In * d.Out);
        _fdb = Dense(layers, d => d.Out);
        _fin = Dense(layers, d => batch * d.In);
        _fout = Dense(layers, d => batch * d.Out);
        _fmask = Dense(layers, d => batch * d.Out);
        _fdin = Dense(layers, d => batch * d.In);
        _fdout = Dense(layers, d => batch * d.Out);
        for (int i = 0; i < layers; i++) backend.FillNormal(_fw[i], _dense[i].In * _dense[i].Out, key.Fold(20 + (ulong)i), 0f, 0.01f);
        _labels = New(batch);
        _loss = New(batch);
        _probabilities = New(batch * 1000);
        _dloss = New(batch);
        backend.Fill(_dloss, batch, 1f / batch);
    }

    /// <summary>Prints forward, backward and images per second for the conv stack and for the whole network.</summary>
    public static void Run(IBackend backend, int batch, int repeats)
    {
        foreach (bool classifier in new[] { false, true })
        {
            using var bench = new StackBench(backend, batch, classifier);
            double f = Timing.BestMilliseconds(bench.Forward, repeats);
            double step = Timing.BestMilliseconds(bench.Step, repeats);
            Console.WriteLine(classifier
                ? $"Whole network training step (convs, fc6-8, dropout, softmax cross-entropy, SGD update), batch {batch}, best of {repeats}"
                : $"Conv stack (5 convs + relu + LRN + pools), batch {batch}, best of {repeats}");
            Console.WriteLine($"forward {f:F0} ms, backward {step - f:F0} ms, step {step:F0} ms: {batch * 1000.0 / step:F1} img/s (forward only {batch * 1000.0 / f:F1} img/s)");
            Console.WriteLine();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var buffer in _buffers) buffer.Dispose();
    }

    private DeviceBuffer New(int length)
    {
        var b = _backend.Allocate(length);
        _backend.Fill(b, length, 0f);
        _buffers.Add(b);
        return b;
    }

    private DeviceBuffer[] Dense(int layers, Func<(int In, int Out), int> length) =>
        Enumerable.Range(0, layers).Select(i => New(length(_dense[i]))).ToArray();

    private void Forward()
    {
        var b = _backend;
        b.Conv2dForward(_x[0], _w[0], _bias[0], _y[0], _convs[0]);
        b.Unary(UnaryKernel.Relu, _y[0], _y[0], _convs[0].OutputCount);
        b.LrnForward(_y[0], _n1, _lrn1);
        b.MaxPool2dForward(_n1, _x[1], _pool1);
        b.Conv2dForward(_x[1], _w[1], _bias[1], _y[1], _convs[1]);
        b.Unary(UnaryKernel.Relu, _y[1], _y[1], _convs[1].OutputCount);
        b.LrnForward(_y[1], _n2, _lrn2);
        b.MaxPool2dForward(_n2, _x[2], _pool2);
        for (int i = 2; i < 5; i++)
        {
            b.Conv2dForward(_x[i], _w[i], _bias[i], _y[i], _convs[i]);
            b.Unary(UnaryKernel.Relu, _y[i], i < 4 ? _x[i + 1] : _y[i], _convs[i].OutputCount);
        }
        b.MaxPool2dForward(_y[4], _p5, _pool5);
        if (!_classifier) return;
        var key = RandomKey.FromSeed(11);
        for (int i = 0; i < _dense.Length; i++)
        {
            var (inputs, outputs) = _dense[i];
            var input = i == 0 ? _p5 : _fin[i];
            var output = _fout[i];
            b.Gemm(false, true, _batch, outputs, inputs, 1f, input, _fw[i], 0f, output);
            b.Binary(BinaryKernel.Add, output, new Shape(_batch, outputs), _fb[i], new Shape(1, outputs), output, new Shape(_batch, outputs));
            if (i < 2)
            {
                b.Unary(UnaryKernel.Relu, output, output, _batch * outputs);
                b.DropoutForward(output, _fin[i + 1], _fmask[i], _batch * outputs, 0.5f, key.Fold((ulong)i));
            }
        }
        b.SoftmaxCrossEntropyForward(_fout[2], _labels, _loss, _probabilities, _batch, 1000);
    }

    private void Step()
    {
        Forward();
        var b = _backend;
        if (_classifier)
        {
            b.SoftmaxCrossEntropyBackward(_probabilities, _labels, _dloss, _fdout[2], _batch, 1000);
            for (int i = _dense.Length - 1; i >= 0; i--)
            {
                var (inputs, outputs) = _dense[i];
                var input = i == 0 ? _p5 : _fin[i];
                var dinput = i == 0 ? _dp5 : _fdin[i];
                b.Gemm(true, false, outputs, inputs, _batch, 1f, _fdout[i], input, 0f, _fdw[i]);
                b.Reduce(ReduceKernel.Sum, _fdout[i], new Shape(_batch, outputs), _fdb[i], new Shape(1, outputs));
                b.Gemm(false, false, _batch, inputs, outputs, 1f, _fdout[i], _fw[i], 0f, dinput);
                if (i > 0)
                {
                    var shape = new Shape(_batch, inputs);
                    b.Binary(BinaryKernel.Mul, dinput, shape, _fmask[i - 1], shape, _fdout[i - 1], shape);
                    b.ReluBackward(_fout[i - 1], _fdout[i - 1], _fdout[i - 1], _batch * inputs);
                }
                b.SgdMomentumUpdate(_fw[i], _fdw[i], _fvw[i], inputs * outputs, 0.01f, 0.9f, 0.0005f);
                b.SgdMomentumUpdate(_fb[i], _fdb[i], _fvb[i], outputs, 0.01f, 0.9f, 0.0005f);
            }
        }
        b.MaxPool2dBackward(_y[4], _p5, _dp5, _dy[4], _pool5);
        for (int i = 4; i >= 2; i--)
        {
            if (i < 4) b.ReluBackward(_x[i + 1], _dx[i + 1], _dy[i], _convs[i].OutputCount);
            else b.ReluBackward(_y[i], _dy[i], _dy[i], _convs[i].OutputCount);
            ConvBackward(i, true);
        }
        b.MaxPool2dBackward(_n2, _x[2], _dx[2], _dn2, _pool2);
        b.LrnBackward(_y[1], _n2, _dn2, _dy[1], _lrn2);
        b.ReluBackward(_y[1], _dy[1], _dy[1], _convs[1].OutputCount);
        ConvBackward(1, true);
        b.MaxPool2dBackward(_n1, _x[1], _dx[1], _dn1, _pool1);
        b.LrnBackward(_y[0], _n1, _dn1, _dy[0], _lrn1);
        b.ReluBackward(_y[0], _dy[0], _dy[0], _convs[0].OutputCount);
        ConvBackward(0, false);
    }

    private void ConvBackward(int i, bool data)
    {
        var b = _backend;
        var g = _convs[i];
        if (data) b.Conv2dBackwardData(_dy[i], _w[i], _dx[i], g);
        b.Conv2dBackwardFilter(_x[i], _dy[i], _dw[i], g);
        b.Conv2dBackwardBias(_dy[i], _db[i], g);
        if (!_classifier) return;
        b.SgdMomentumUpdate(_w[i], _dw[i], _vw[i], g.WeightCount, 0.01f, 0.9f, 0.0005f);
        b.SgdMomentumUpdate(_bias[i], _db[i], _vb[i], g.OutChannels, 0.01f, 0.9f, 0.0005f);
    }
}
