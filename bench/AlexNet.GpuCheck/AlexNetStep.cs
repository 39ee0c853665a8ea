using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.GpuCheck;

/// <summary>
/// The paper's AlexNet (two towers as groups = 2 on conv2, conv4, conv5; LRN after ReLU 1 and 2; overlapping pooling;
/// fc6/fc7 with dropout 0.5; softmax cross-entropy; SGD with momentum 0.9 and weight decay 5e-4) hand-wired from
/// <see cref="IBackend"/> kernel calls, every buffer allocated once. ReLU runs in place, as torchvision's does.
/// </summary>
internal sealed class AlexNetStep : IDisposable
{
    private const float LearningRate = 0.01f, Momentum = 0.9f, WeightDecay = 5e-4f, DropP = 0.5f;
    private const float LrnAlpha = 1e-4f, LrnBeta = 0.75f, LrnK = 2f;
    private const int LrnSize = 5, Classes = 1000;

    private readonly IBackend _b;
    private readonly int _n;
    private readonly List<DeviceBuffer> _all = [];
    private readonly List<(DeviceBuffer W, DeviceBuffer G, DeviceBuffer V, int Count)> _params = [];
    private readonly ConvGeometry _g1, _g2, _g3, _g4, _g5;
    private readonly PoolGeometry _pool1, _pool2, _pool5;
    private readonly LrnGeometry _lrn1, _lrn2;
    private readonly DeviceBuffer _x, _labels, _ones, _loss, _probs, _dloss;
    private readonly DeviceBuffer _w1, _b1, _w2, _b2, _w3, _b3, _w4, _b4, _w5, _b5, _w6, _b6, _w7, _b7, _w8, _b8;
    private readonly DeviceBuffer _dw1, _db1, _dw2, _db2, _dw3, _db3, _dw4, _db4, _dw5, _db5, _dw6, _db6, _dw7, _db7, _dw8, _db8;
    private readonly DeviceBuffer _a1, _n1, _p1, _a2, _n2, _p2, _a3, _a4, _a5, _p5, _a6, _d6, _m6, _a7, _d7, _m7, _a8;
    private readonly DeviceBuffer _gN1, _gA1, _gP1, _gN2, _gA2, _gP2, _gA3, _gA4, _gA5, _gP5, _gD6, _gA6, _gD7, _gA7, _gA8;
    private long _step;

    /// <summary>Allocates parameters (paper initialisation), activations and gradients for batch <paramref name="batch"/>.</summary>
    public AlexNetStep(IBackend backend, int batch)
    {
        _b = backend;
        _n = batch;
        _g1 = new ConvGeometry(batch, 3, 227, 227, 96, 11, 11, 4, 4, 0, 0, 1);
        _pool1 = new PoolGeometry(batch, 96, 55, 55, 3, 3, 2, 2, 0, 0);
        _g2 = new ConvGeometry(batch, 96, 27, 27, 256, 5, 5, 1, 1, 2, 2, 2);
        _pool2 = new PoolGeometry(batch, 256, 27, 27, 3, 3, 2, 2, 0, 0);
        _g3 = new ConvGeometry(batch, 256, 13, 13, 384, 3, 3, 1, 1, 1, 1, 1);
        _g4 = new ConvGeometry(batch, 384, 13, 13, 384, 3, 3, 1, 1, 1, 1, 2);
        _g5 = new ConvGeometry(batch, 384, 13, 13, 256, 3, 3, 1, 1, 1, 1, 2);
        _pool5 = new PoolGeometry(batch, 256, 13, 13, 3, 3, 2, 2, 0, 0);
        _lrn1 = new LrnGeometry(batch, 96, 55, 55, LrnSize, LrnAlpha, LrnBeta, LrnK);
        _lrn2 = new LrnGeometry(batch, 256, 27, 27, LrnSize, LrnAlpha, LrnBeta, LrnK);

        var key = RandomKey.FromSeed(2012);
        _x = New(_g1.InputCount);
        backend.FillUniform(_x, _g1.InputCount, key.Fold(1000), -1f, 1f);
        _labels = _b.Upload(Enumerable.Range(0, batch).Select(i => (float)(i * 7919 % Classes)).ToArray());
        _all.Add(_labels);
        _ones = New(batch);
        backend.Fill(_ones, batch, 1f);
        _loss = New(batch);
        _probs = New(batch * Classes);
        _dloss = New(batch);
        backend.Fill(_dloss, batch, 1f / batch);

        (_w1, _dw1) = Param(_g1.WeightCount, key, 1, 0.01f);
        (_b1, _db1) = Bias(96, 0f);
        (_w2, _dw2) = Param(_g2.WeightCount, key, 2, 0.01f);
        (_b2, _db2) = Bias(256, 1f);
        (_w3, _dw3) = Param(_g3.WeightCount, key, 3, 0.01f);
        (_b3, _db3) = Bias(384, 0f);
        (_w4, _dw4) = Param(_g4.WeightCount, key, 4, 0.01f);
        (_b4, _db4) = Bias(384, 1f);
        (_w5, _dw5) = Param(_g5.WeightCount, key, 5, 0.01f);
        (_b5, _db5) = Bias(256, 1f);
        (_w6, _dw6) = Param(4096 * 9216, key, 6, 0.01f);
        (_b6, _db6) = Bias(4096, 1f);
        (_w7, _dw7) = Param(4096 * 4096, key, 7, 0.01f);
        (_b7, _db7) = Bias(4096, 1f);
        (_w8, _dw8) = Param(Classes * 4096, key, 8, 0.01f);
        (_b8, _db8) = Bias(Classes, 0f);

        _a1 = New(_g1.OutputCount); _n1 = New(_g1.OutputCount); _p1 = New(_pool1.OutputCount);
        _a2 = New(_g2.OutputCount); _n2 = New(_g2.OutputCount); _p2 = New(_pool2.OutputCount);
        _a3 = New(_g3.OutputCount); _a4 = New(_g4.OutputCount); _a5 = New(_g5.OutputCount); _p5 = New(_pool5.OutputCount);
        _a6 = New(batch * 4096); _d6 = New(batch * 4096); _m6 = New(batch * 4096);
        _a7 = New(batch * 4096); _d7 = New(batch * 4096); _m7 = New(batch * 4096);
        _a8 = New(batch * Classes);

        _gN1 = New(_g1.OutputCount); _gA1 = New(_g1.OutputCount); _gP1 = New(_pool1.OutputCount);
        _gN2 = New(_g2.OutputCount); _gA2 = New(_g2.OutputCount); _gP2 = New(_pool2.OutputCount);
        _gA3 = New(_g3.OutputCount); _gA4 = New(_g4.OutputCount); _gA5 = New(_g5.OutputCount); _gP5 = New(_pool5.OutputCount);
        _gD6 = New(batch * 4096); _gA6 = New(batch * 4096); _gD7 = New(batch * 4096); _gA7 = New(batch * 4096);
        _gA8 = New(batch * Classes);
    }

    /// <summary>Number of trainable parameters (60,965,224 for the paper's wiring).</summary>
    public long ParameterCount => _params.Sum(p => (long)p.Count);

    /// <summary>Forward pass; dropout only when <paramref name="train"/>. Leaves the logits in the fc8 buffer.</summary>
    public void Forward(bool train)
    {
        var b = _b;
        b.Conv2dForward(_x, _w1, _b1, _a1, _g1);
        b.Unary(UnaryKernel.Relu, _a1, _a1, _g1.OutputCount);
        b.LrnForward(_a1, _n1, _lrn1);
        b.MaxPool2dForward(_n1, _p1, _pool1);
        b.Conv2dForward(_p1, _w2, _b2, _a2, _g2);
        b.Unary(UnaryKernel.Relu, _a2, _a2, _g2.OutputCount);
        b.LrnForward(_a2, _n2, _lrn2);
        b.MaxPool2dForward(_n2, _p2, _pool2);
        b.Conv2dForward(_p2, _w3, _b3, _a3, _g3);
        b.Unary(UnaryKernel.Relu, _a3, _a3, _g3.OutputCount);
        b.Conv2dForward(_a3, _w4, _b4, _a4, _g4);
        b.Unary(UnaryKernel.Relu, _a4, _a4, _g4.OutputCount);
        b.Conv2dForward(_a4, _w5, _b5, _a5, _g5);
        b.Unary(UnaryKernel.Relu, _a5, _a5, _g5.OutputCount);
        b.MaxPool2dForward(_a5, _p5, _pool5);
        var key = RandomKey.FromSeed(7).Fold((ulong)_step);
        Dense(_p5, _w6, _b6, _a6, 9216, 4096);
        b.Unary(UnaryKernel.Relu, _a6, _a6, _n * 4096);
        var h6 = _a6;
        if (train)
        {
            b.DropoutForward(_a6, _d6, _m6, _n * 4096, DropP, key.Fold(6));
            h6 = _d6;
        }
        Dense(h6, _w7, _b7, _a7, 4096, 4096);
        b.Unary(UnaryKernel.Relu, _a7, _a7, _n * 4096);
        var h7 = _a7;
        if (train)
        {
            b.DropoutForward(_a7, _d7, _m7, _n * 4096, DropP, key.Fold(7));
            h7 = _d7;
        }
        Dense(h7, _w8, _b8, _a8, 4096, Classes);
    }

    /// <summary>One SGD training step: forward with dropout, cross-entropy, backward, momentum update of every parameter.</summary>
    public void TrainStep()
    {
        var b = _b;
        Forward(train: true);
        b.SoftmaxCrossEntropyForward(_a8, _labels, _loss, _probs, _n, Classes);
        b.SoftmaxCrossEntropyBackward(_probs, _labels, _dloss, _gA8, _n, Classes);

        DenseBackward(_d7, _w8, _gA8, _dw8, _db8, _gD7, 4096, Classes);
        b.Binary(BinaryKernel.Mul, _gD7, Flat(4096), _m7, Flat(4096), _gA7, Flat(4096));
        b.ReluBackward(_a7, _gA7, _gA7, _n * 4096);
        DenseBackward(_d6, _w7, _gA7, _dw7, _db7, _gD6, 4096, 4096);
        b.Binary(BinaryKernel.Mul, _gD6, Flat(4096), _m6, Flat(4096), _gA6, Flat(4096));
        b.ReluBackward(_a6, _gA6, _gA6, _n * 4096);
        DenseBackward(_p5, _w6, _gA6, _dw6, _db6, _gP5, 9216, 4096);

        b.MaxPool2dBackward(_a5, _p5, _gP5, _gA5, _pool5);
        b.ReluBackward(_a5, _gA5, _gA5, _g5.OutputCount);
        ConvBackward(_a4, _w5, _gA5, _dw5, _db5, _gA4, _g5);
        b.ReluBackward(_a4, _gA4, _gA4, _g4.OutputCount);
        ConvBackward(_a3, _w4, _gA4, _dw4, _db4, _gA3, _g4);
        b.ReluBackward(_a3, _gA3, _gA3, _g3.OutputCount);
        ConvBackward(_p2, _w3, _gA3, _dw3, _db3, _gP2, _g3);
        b.MaxPool2dBackward(_n2, _p2, _gP2, _gN2, _pool2);
        b.LrnBackward(_a2, _n2, _gN2, _gA2, _lrn2);
        b.ReluBackward(_a2, _gA2, _gA2, _g2.OutputCount);
        ConvBackward(_p1, _w2, _gA2, _dw2, _db2, _gP1, _g2);
        b.MaxPool2dBackward(_n1, _p1, _gP1, _gN1, _pool1);
        b.LrnBackward(_a1, _n1, _gN1, _gA1, _lrn1);
        b.ReluBackward(_a1, _gA1, _gA1, _g1.OutputCount);
        ConvBackward(_x, _w1, _gA1, _dw1, _db1, null, _g1);

        foreach (var (w, g, v, count) in _params) b.SgdMomentumUpdate(w, g, v, count, LearningRate, Momentum, WeightDecay);
        _step++;
    }

    /// <summary>The mean cross-entropy of the last training step (waits for the device).</summary>
    public double MeanLoss()
    {
        var loss = new float[_n];
        _b.Download(_loss, loss);
        return loss.Average(v => (double)v);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var buffer in _all) buffer.Dispose();
        _all.Clear();
    }

    private Shape Flat(int features) => new(_n, features);

    /// <summary>y = x·Wᵀ + b with W [out, in]: the bias as a rank-1 GEMM with a ones column, then the product accumulated.</summary>
    private void Dense(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, DeviceBuffer y, int inFeatures, int outFeatures)
    {
        _b.Gemm(false, false, _n, outFeatures, 1, 1f, _ones, bias, 0f, y);
        _b.Gemm(false, true, _n, outFeatures, inFeatures, 1f, x, w, 1f, y);
    }

    private void DenseBackward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer dy, DeviceBuffer dw, DeviceBuffer db, DeviceBuffer dx,
                               int inFeatures, int outFeatures)
    {
        _b.Gemm(true, false, outFeatures, inFeatures, _n, 1f, dy, x, 0f, dw);
        _b.Gemm(false, false, 1, outFeatures, _n, 1f, _ones, dy, 0f, db);
        _b.Gemm(false, false, _n, inFeatures, outFeatures, 1f, dy, w, 0f, dx);
    }

    private void ConvBackward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer dy, DeviceBuffer dw, DeviceBuffer db, DeviceBuffer? dx, ConvGeometry g)
    {
        _b.Conv2dBackwardBias(dy, db, g);
        _b.Conv2dBackwardFilter(x, dy, dw, g);
        if (dx is not null) _b.Conv2dBackwardData(dy, w, dx, g);
    }

    private DeviceBuffer New(int count)
    {
        var buffer = _b.Allocate(count);
        _all.Add(buffer);
        return buffer;
    }

    private (DeviceBuffer W, DeviceBuffer G) Param(int count, RandomKey key, ulong layer, float std)
    {
        var w = New(count);
        _b.FillNormal(w, count, key.Fold(layer), 0f, std);
        return Register(w, count);
    }

    private (DeviceBuffer W, DeviceBuffer G) Bias(int count, float value)
    {
        var w = New(count);
        _b.Fill(w, count, value);
        return Register(w, count);
    }

    private (DeviceBuffer W, DeviceBuffer G) Register(DeviceBuffer w, int count)
    {
        var g = New(count);
        var v = New(count);
        _b.Fill(v, count, 0f);
        _params.Add((w, g, v, count));
        return (w, g);
    }
}
