namespace AlexNet.Autograd.Kernels;

/// <summary>
/// The kernel contract: raw compute on buffers of one device, no autograd. Every member maps onto one cuDNN/cuBLAS
/// call or one small kernel; the differentiable primitives in <c>Primitives/</c> are written against it, and the CPU
/// backend is the reference every other backend is tested against.
/// </summary>
/// <remarks>
/// All tensors are dense, row-major float32. Shapes are passed where a kernel needs them. Output buffers are allocated
/// by the caller and fully overwritten unless a member says it accumulates. Kernels are ordered on one stream: a call
/// may return before the work is done, and <see cref="Download"/> waits for it.
/// </remarks>
public interface IBackend : IDisposable
{
    /// <summary>Device name, e.g. <c>cpu</c> or <c>cuda:0</c>.</summary>
    string Name { get; }

    /// <summary>Current buffer counters.</summary>
    MemoryStats Memory { get; }

    /// <summary>Sets the peak counter to the current live bytes.</summary>
    void ResetPeak();

    /// <summary>A buffer of <paramref name="length"/> elements with undefined contents (reused from the pool when possible).</summary>
    DeviceBuffer Allocate(int length);

    /// <summary>A new buffer holding a copy of <paramref name="data"/>.</summary>
    DeviceBuffer Upload(ReadOnlySpan<float> data);

    /// <summary>Copies the buffer's first <c>destination.Length</c> elements to host memory (waits for pending work).</summary>
    void Download(DeviceBuffer source, Span<float> destination);

    /// <summary>Waits until all queued work has finished.</summary>
    void Synchronize();

    /// <summary>Sets the first <paramref name="count"/> elements to <paramref name="value"/>.</summary>
    void Fill(DeviceBuffer destination, int count, float value);

    /// <summary>Copies <paramref name="count"/> elements.</summary>
    void Copy(DeviceBuffer source, DeviceBuffer destination, int count);

    /// <summary>Fills with uniform numbers in [low, high): element i is low + (high − low)·key.Uniform(i).</summary>
    void FillUniform(DeviceBuffer destination, int count, RandomKey key, float low, float high);

    /// <summary>Fills with normal numbers: element i is mean + std·key.Normal(i).</summary>
    void FillNormal(DeviceBuffer destination, int count, RandomKey key, float mean, float std);

    /// <summary>y = op(x) elementwise.</summary>
    void Unary(UnaryKernel op, DeviceBuffer x, DeviceBuffer y, int count);

    /// <summary>y = scale·x + shift elementwise (scalar arithmetic).</summary>
    void Affine(DeviceBuffer x, DeviceBuffer y, int count, float scale, float shift);

    /// <summary>dx = dy where x &gt; 0, else 0 (the gradient at exactly 0 is 0).</summary>
    void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int count);

    /// <summary>y = a op b with NumPy broadcasting; all three shapes have the same rank and
    /// each input dimension equals the output's or is 1.</summary>
    void Binary(BinaryKernel op, DeviceBuffer a, Shape aShape, DeviceBuffer b, Shape bShape, DeviceBuffer y, Shape yShape);

    /// <summary>Reduces x over every axis where <paramref name="yShape"/> is 1 and <paramref name="xShape"/> is not
    /// (same rank, kept dimensions).</summary>
    void Reduce(ReduceKernel op, DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape);

    /// <summary>Repeats x along every axis where <paramref name="xShape"/> is 1 (same rank): the adjoint of a sum.</summary>
    void Broadcast(DeviceBuffer x, Shape xShape, DeviceBuffer y, Shape yShape);

    /// <summary>y = x with axes permuted: y's axis i is x's axis perm[i].</summary>
    void Permute(DeviceBuffer x, Shape xShape, ReadOnlySpan<int> perm, DeviceBuffer y);

    /// <summary>
    /// Copies <paramref name="length"/> consecutive indices along <paramref name="axis"/>, starting at
    /// <paramref name="sourceOffset"/> in the source and <paramref name="destinationOffset"/> in the destination; the other
    /// dimensions of both shapes are equal. Slice, concat and their gradients are this one kernel. Other elements of the
    /// destination are left unchanged.
    /// </summary>
    void CopyAxisRange(DeviceBuffer source, Shape sourceShape, int sourceOffset,
                       DeviceBuffer destination, Shape destinationShape, int destinationOffset, int axis, int length);

    /// <summary>
    /// Row-major GEMM: C[m×n] = alpha·op(A)·op(B) + beta·C, op(A) is m×k (A stored k×m when <paramref name="transposeA"/>),
    /// op(B) is k×n (B stored n×k when <paramref name="transposeB"/>). With beta = 0, C's old contents are ignored (NaN too).
    /// </summary>
    void Gemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c);

    /// <summary>Convolution forward: y = conv(x, w) + bias (bias of OutChannels, may be null).</summary>
    void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, ConvGeometry g);

    /// <summary>Gradient with respect to the input: dx = conv_transpose(dy, w).</summary>
    void Conv2dBackwardData(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, ConvGeometry g);

    /// <summary>Gradient with respect to the weights: dw = correlate(x, dy).</summary>
    void Conv2dBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, ConvGeometry g);

    /// <summary>Gradient with respect to the bias: db[c] = Σ over batch and space of dy[·, c, ·, ·].</summary>
    void Conv2dBackwardBias(DeviceBuffer dy, DeviceBuffer db, ConvGeometry g);

    /// <summary>Max pooling forward.</summary>
    void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g);

    /// <summary>Max pooling backward: each output's gradient goes to the first maximal input of its window
    /// (deterministic, overlapping windows accumulate).</summary>
    void MaxPool2dBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g);

    /// <summary>Average pooling forward: each output is the sum of its window's input elements divided by the whole
    /// window's area KernelHeight·KernelWidth, padding cells counting as zeros (PyTorch's <c>count_include_pad=True</c>).</summary>
    void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, PoolGeometry g);

    /// <summary>Average pooling backward: every input element of an output's window (padding cells dropped) receives
    /// dy / (KernelHeight·KernelWidth); overlapping windows accumulate. Overwrites dx.</summary>
    void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, PoolGeometry g);

    /// <summary>Adaptive average pooling forward: each output is the mean of its window (see <see cref="AdaptivePoolGeometry"/>).</summary>
    void AdaptiveAvgPool2dForward(DeviceBuffer x, DeviceBuffer y, AdaptivePoolGeometry g);

    /// <summary>Adaptive average pooling backward: every input element of an output's window receives dy divided by
    /// that window's element count; overlapping windows accumulate. Overwrites dx.</summary>
    void AdaptiveAvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, AdaptivePoolGeometry g);

    /// <summary>LRN forward in the paper's convention (see <see cref="LrnGeometry"/>).</summary>
    void LrnForward(DeviceBuffer x, DeviceBuffer y, LrnGeometry g);

    /// <summary>LRN backward: dx_i = dy_i·s_i^−β − 2αβ·x_i·Σ_{j: i ∈ window(j)} dy_j·y_j / s_j.</summary>
    void LrnBackward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, LrnGeometry g);

    /// <summary>Softmax (or log-softmax) of each row of a [rows, cols] matrix, computed stably (max subtracted).</summary>
    void Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols, bool log);

    /// <summary>Backward of <see cref="Softmax"/> from its output y: softmax dx = y·(dy − Σ dy·y);
    /// log-softmax dx = dy − eʸ·Σ dy.</summary>
    void SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols, bool log);

    /// <summary>
    /// Fused softmax cross-entropy per row: loss[r] = logsumexp(x[r]) − x[r, label[r]], and probabilities p = softmax(x)
    /// kept for the backward. Labels are class indices stored as floats. Finite for logits of any finite size.
    /// </summary>
    void SoftmaxCrossEntropyForward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, DeviceBuffer probabilities, int rows, int cols);

    /// <summary>dlogits[r, c] = dloss[r]·(p[r, c] − [c == label[r]]).</summary>
    void SoftmaxCrossEntropyBackward(DeviceBuffer probabilities, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols);

    /// <summary>Inverted dropout: mask[i] = 1/(1−p) when key.Uniform(i) ≥ p else 0; y = x·mask.</summary>
    void DropoutForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer mask, int count, float p, RandomKey key);

    /// <summary>
    /// The paper's SGD step, in place: v ← momentum·v − weightDecay·lr·w − lr·g; w ← w + v.
    /// </summary>
    void SgdMomentumUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer v, int count, float learningRate, float momentum, float weightDecay);

    /// <summary>
    /// One Adam or AdamW step, in place, per element (see <see cref="AdamCoefficients"/>): g ← g + GradientDecay·w;
    /// m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²; w ← WeightScale·w − StepSize·m / (√v·SecondMomentScale + ε).
    /// Overwrites w, m and v; g is read only.
    /// </summary>
    void AdamUpdate(DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v, int count, AdamCoefficients coefficients);
}
