namespace AlexNet.Gpu.Kernels;

/// <summary>
/// CUDA C source of the backend's own kernels, compiled once per architecture with NVRTC. Compiled with
/// <c>--fmad=false</c> so that every multiply and add rounds separately, as the CPU backend's scalar C# does, which is
/// what lets the random fills reproduce <see cref="AlexNet.Autograd.RandomKey"/> bit for bit.
/// </summary>
internal static class KernelSource
{
    /// <summary>Largest tensor rank the strided kernels accept after merging contiguous axes.</summary>
    public const int MaxRank = 8;

    /// <summary>Threads per block; the block reductions assume this power of two.</summary>
    public const int BlockSize = 256;

    /// <summary>Every kernel name in <see cref="Code"/>.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "k_fill", "k_unary", "k_affine", "k_relu_backward", "k_binary_same", "k_binary", "k_gather",
        "k_reduce_thread", "k_reduce_block", "k_copy_axis", "k_fill_uniform", "k_fill_normal", "k_dropout",
        "k_sgd_momentum", "k_adam", "k_softmax", "k_softmax_backward", "k_ce_forward", "k_ce_backward",
        "k_lrn_forward", "k_lrn_backward",
        "k_adaptive_avg_forward", "k_adaptive_avg_backward",
    ];

    /// <summary>The CUDA C source.</summary>
    public const string Code = """
typedef unsigned long long u64;
#define MAXR 8
#define BLOCK 256

struct Strided { int rank; int dims[MAXR]; int a[MAXR]; int b[MAXR]; };
struct Reduction { int outRank; int outDims[MAXR]; int outStr[MAXR]; int redRank; int redDims[MAXR]; int redStr[MAXR]; };

#define LOOP(i, n) for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); i += (long long)blockDim.x * gridDim.x)
#define ROWS(r, rows) for (long long r = blockIdx.x; r < (long long)(rows); r += gridDim.x)

__device__ __forceinline__ float neg_inf_f() { return __int_as_float(0xff800000); }
__device__ __forceinline__ float nan_f() { return __int_as_float(0x7fc00000); }

__device__ float block_sum(float v, float* sh)
{
    int t = threadIdx.x;
    sh[t] = v;
    __syncthreads();
    for (int s = BLOCK / 2; s > 0; s >>= 1)
    {
        if (t < s) sh[t] = sh[t] + sh[t + s];
        __syncthreads();
    }
    float r = sh[0];
    __syncthreads();
    return r;
}

__device__ float block_max(float v, float* sh)
{
    int t = threadIdx.x;
    sh[t] = v;
    __syncthreads();
    for (int s = BLOCK / 2; s > 0; s >>= 1)
    {
        if (t < s) sh[t] = fmaxf(sh[t], sh[t + s]);
        __syncthreads();
    }
    float r = sh[0];
    __syncthreads();
    return r;
}

extern "C" __global__ void k_fill(float* y, int n, float v)
{
    LOOP(i, n) y[i] = v;
}

extern "C" __global__ void k_unary(int op, const float* x, float* y, int n)
{
    LOOP(i, n)
    {
        float v = x[i];
        float r;
        if (op == 0) r = -v;
        else if (op == 1) r = expf(v);
        else if (op == 2) r = logf(v);
        else r = (v != v) ? v : (v > 0.0f ? v : 0.0f);
        y[i] = r;
    }
}

extern "C" __global__ void k_affine(const float* x, float* y, int n, float scale, float shift)
{
    LOOP(i, n) y[i] = x[i] * scale + shift;
}

extern "C" __global__ void k_relu_backward(const float* x, const float* dy, float* dx, int n)
{
    LOOP(i, n) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}

__device__ __forceinline__ float binop(int op, float a, float b)
{
    if (op == 0) return a + b;
    if (op == 1) return a - b;
    if (op == 2) return a * b;
    if (op == 3) return a / b;
    return a == b ? 1.0f : 0.0f;
}

extern "C" __global__ void k_binary_same(int op, const float* a, const float* b, float* y, int n)
{
    LOOP(i, n) y[i] = binop(op, a[i], b[i]);
}

extern "C" __global__ void k_binary(int op, const float* a, const float* b, float* y, int n, Strided g)
{
    LOOP(i, n)
    {
        long long rem = i, oa = 0, ob = 0;
        for (int d = g.rank - 1; d >= 0; --d)
        {
            long long c = rem % g.dims[d];
            rem /= g.dims[d];
            oa += c * g.a[d];
            ob += c * g.b[d];
        }
        y[i] = binop(op, a[oa], b[ob]);
    }
}

extern "C" __global__ void k_gather(const float* x, float* y, int n, Strided g)
{
    LOOP(i, n)
    {
        long long rem = i, ox = 0;
        for (int d = g.rank - 1; d >= 0; --d)
        {
            long long c = rem % g.dims[d];
            rem /= g.dims[d];
            ox += c * g.a[d];
        }
        y[i] = x[ox];
    }
}

__device__ __forceinline__ long long out_offset(const Reduction& g, long long o)
{
    long long off = 0;
    for (int d = g.outRank - 1; d >= 0; --d)
    {
        long long c = o % g.outDims[d];
        o /= g.outDims[d];
        off += c * g.outStr[d];
    }
    return off;
}

__device__ __forceinline__ long long red_offset(const Reduction& g, long long r)
{
    long long off = 0;
    for (int d = g.redRank - 1; d >= 0; --d)
    {
        long long c = r % g.redDims[d];
        r /= g.redDims[d];
        off += c * g.redStr[d];
    }
    return off;
}

__device__ __forceinline__ double max_nan(double acc, double v)
{
    return (v > acc || v != v) ? v : acc;
}

extern "C" __global__ void k_reduce_thread(int op, const float* x, float* y, int outCount, int redCount, Reduction g)
{
    LOOP(o, outCount)
    {
        long long base = out_offset(g, o);
        double acc = op == 0 ? 0.0 : (double)neg_inf_f();
        for (long long r = 0; r < redCount; ++r)
        {
            double v = (double)x[base + red_offset(g, r)];
            acc = op == 0 ? acc + v : max_nan(acc, v);
        }
        y[o] = (float)acc;
    }
}

extern "C" __global__ void k_reduce_block(int op, const float* x, float* y, int outCount, int redCount, Reduction g)
{
    __shared__ double sh[BLOCK];
    ROWS(o, outCount)
    {
        long long base = out_offset(g, o);
        double acc = op == 0 ? 0.0 : (double)neg_inf_f();
        for (long long r = threadIdx.x; r < redCount; r += blockDim.x)
        {
            double v = (double)x[base + red_offset(g, r)];
            acc = op == 0 ? acc + v : max_nan(acc, v);
        }
        sh[threadIdx.x] = acc;
        __syncthreads();
        for (int s = BLOCK / 2; s > 0; s >>= 1)
        {
            if (threadIdx.x < s)
            {
                double u = sh[threadIdx.x + s];
                double t = sh[threadIdx.x];
                sh[threadIdx.x] = op == 0 ? t + u : max_nan(t, u);
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) y[o] = (float)sh[0];
        __syncthreads();
    }
}

extern "C" __global__ void k_copy_axis(const float* src, float* dst, int n, int length, int inner,
                                       int srcAxis, int dstAxis, int srcOff, int dstOff)
{
    LOOP(i, n)
    {
        long long chunk = (long long)length * inner;
        long long o = i / chunk;
        long long rem = i - o * chunk;
        dst[(o * dstAxis + dstOff) * inner + rem] = src[(o * srcAxis + srcOff) * inner + rem];
    }
}

__device__ __forceinline__ u64 mix64(u64 z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

__device__ __forceinline__ u64 bits_at(u64 key, long long index)
{
    return mix64(key + ((u64)index + 1ULL) * 0x9E3779B97F4A7C15ULL);
}

__device__ __forceinline__ float uniform01(u64 bits)
{
    return (float)(bits >> 40) * (1.0f / 16777216.0f);
}

__device__ __forceinline__ float normal01(u64 bits)
{
    double u1 = (double)((bits >> 40) + 1ULL) * (1.0 / 16777216.0);
    double u2 = (double)(bits & 0xFFFFFFULL) * (1.0 / 16777216.0);
    return (float)(sqrt(-2.0 * log(u1)) * cos(2.0 * 3.141592653589793 * u2));
}

extern "C" __global__ void k_fill_uniform(float* y, int n, u64 key, float low, float range)
{
    LOOP(i, n) y[i] = low + range * uniform01(bits_at(key, i));
}

extern "C" __global__ void k_fill_normal(float* y, int n, u64 key, float mean, float stddev)
{
    LOOP(i, n) y[i] = mean + stddev * normal01(bits_at(key, i));
}

extern "C" __global__ void k_dropout(const float* x, float* y, float* mask, int n, float p, float keep, u64 key)
{
    LOOP(i, n)
    {
        float m = uniform01(bits_at(key, i)) >= p ? keep : 0.0f;
        mask[i] = m;
        y[i] = x[i] * m;
    }
}

extern "C" __global__ void k_sgd_momentum(float* w, const float* g, float* v, int n, float lr, float momentum, float decay)
{
    LOOP(i, n)
    {
        float wi = w[i];
        float vv = momentum * v[i] - decay * wi - lr * g[i];
        v[i] = vv;
        w[i] = wi + vv;
    }
}

extern "C" __global__ void k_adam(float* w, const float* g, float* m, float* v, int n, float beta1, float beta2, float eps,
                                  float stepSize, float secondScale, float gradientDecay, float weightScale)
{
    LOOP(i, n)
    {
        float wi = w[i];
        float gi = g[i] + gradientDecay * wi;
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;
        float vi = beta2 * v[i] + (1.0f - beta2) * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        float denominator = sqrtf(vi) * secondScale + eps;
        w[i] = weightScale * wi - stepSize * mi / denominator;
    }
}

extern "C" __global__ void k_softmax(const float* x, float* y, int rows, int cols, int logMode)
{
    __shared__ float sh[BLOCK];
    ROWS(r, rows)
    {
        const float* xr = x + r * cols;
        float* yr = y + r * cols;
        float m = neg_inf_f();
        for (int c = threadIdx.x; c < cols; c += blockDim.x) m = fmaxf(m, xr[c]);
        m = block_max(m, sh);
        float s = 0.0f;
        for (int c = threadIdx.x; c < cols; c += blockDim.x) s += expf(xr[c] - m);
        s = block_sum(s, sh);
        if (logMode)
        {
            float ls = logf(s);
            for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = (xr[c] - m) - ls;
        }
        else
        {
            float inv = 1.0f / s;
            for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = expf(xr[c] - m) * inv;
        }
    }
}

extern "C" __global__ void k_softmax_backward(const float* y, const float* dy, float* dx, int rows, int cols, int logMode)
{
    __shared__ float sh[BLOCK];
    ROWS(r, rows)
    {
        const float* yr = y + r * cols;
        const float* gr = dy + r * cols;
        float* dr = dx + r * cols;
        float s = 0.0f;
        for (int c = threadIdx.x; c < cols; c += blockDim.x) s += logMode ? gr[c] : gr[c] * yr[c];
        s = block_sum(s, sh);
        for (int c = threadIdx.x; c < cols; c += blockDim.x)
            dr[c] = logMode ? gr[c] - expf(yr[c]) * s : yr[c] * (gr[c] - s);
    }
}

extern "C" __global__ void k_ce_forward(const float* x, const float* labels, float* loss, float* p, int rows, int cols)
{
    __shared__ float sh[BLOCK];
    ROWS(r, rows)
    {
        const float* xr = x + r * cols;
        float* pr = p + r * cols;
        float m = neg_inf_f();
        for (int c = threadIdx.x; c < cols; c += blockDim.x) m = fmaxf(m, xr[c]);
        m = block_max(m, sh);
        float s = 0.0f;
        for (int c = threadIdx.x; c < cols; c += blockDim.x) s += expf(xr[c] - m);
        s = block_sum(s, sh);
        float inv = 1.0f / s;
        for (int c = threadIdx.x; c < cols; c += blockDim.x) pr[c] = expf(xr[c] - m) * inv;
        if (threadIdx.x == 0)
        {
            float lf = labels[r];
            int l = (int)lf;
            bool valid = lf >= 0.0f && lf < (float)cols && (float)l == lf;
            loss[r] = valid ? (m + logf(s)) - xr[l] : nan_f();
        }
    }
}

extern "C" __global__ void k_ce_backward(const float* p, const float* labels, const float* dloss, float* dlogits, int rows, int cols)
{
    long long n = (long long)rows * cols;
    LOOP(i, n)
    {
        long long r = i / cols;
        int c = (int)(i - r * cols);
        int l = (int)labels[r];
        dlogits[i] = dloss[r] * (p[i] - (c == l ? 1.0f : 0.0f));
    }
}

__device__ __forceinline__ float lrn_scale(const float* x, long long base, int c, int channels, int plane, int half, float alpha, float k)
{
    int lo = c - half < 0 ? 0 : c - half;
    int hi = c + half > channels - 1 ? channels - 1 : c + half;
    float s = 0.0f;
    for (int j = lo; j <= hi; ++j)
    {
        float v = x[base + (long long)j * plane];
        s += v * v;
    }
    return k + alpha * s;
}

extern "C" __global__ void k_lrn_forward(const float* x, float* y, int n, int channels, int plane, int half,
                                         float alpha, float beta, float k)
{
    LOOP(i, n)
    {
        long long per = (long long)channels * plane;
        long long b = i / per;
        long long rem = i - b * per;
        int c = (int)(rem / plane);
        long long base = b * per + (rem - (long long)c * plane);
        float s = lrn_scale(x, base, c, channels, plane, half, alpha, k);
        y[i] = x[i] * powf(s, -beta);
    }
}

extern "C" __global__ void k_lrn_backward(const float* x, const float* y, const float* dy, float* dx, int n, int channels,
                                          int plane, int half, float alpha, float beta, float k)
{
    LOOP(i, n)
    {
        long long per = (long long)channels * plane;
        long long b = i / per;
        long long rem = i - b * per;
        int c = (int)(rem / plane);
        long long base = b * per + (rem - (long long)c * plane);
        float si = lrn_scale(x, base, c, channels, plane, half, alpha, k);
        int lo = c - half < 0 ? 0 : c - half;
        int hi = c + half > channels - 1 ? channels - 1 : c + half;
        float acc = 0.0f;
        for (int j = lo; j <= hi; ++j)
        {
            long long at = base + (long long)j * plane;
            float sj = lrn_scale(x, base, j, channels, plane, half, alpha, k);
            acc += dy[at] * y[at] / sj;
        }
        dx[i] = dy[i] * powf(si, -beta) - 2.0f * alpha * beta * x[i] * acc;
    }
}
// Adaptive average pooling with PyTorch's windows [floor(i*in/out), ceil((i+1)*in/out)). Sums run in the CPU backend's
// order (down each column, then across the columns; backward: across each output row's shares, then down the rows), so
// with --fmad=false the results are the CPU's bits.
__device__ __forceinline__ int adaptive_start(int i, int in, int out) { return (int)(((long long)i * in) / out); }
__device__ __forceinline__ int adaptive_end(int i, int in, int out) { return (int)(((long long)(i + 1) * in + out - 1) / out); }

extern "C" __global__ void k_adaptive_avg_forward(const float* x, float* y, int n, int inH, int inW, int outH, int outW)
{
    LOOP(i, n)
    {
        int ox = (int)(i % outW);
        long long r = i / outW;
        int oy = (int)(r % outH);
        long long plane = r / outH;
        const float* src = x + plane * inH * inW;
        int hs = adaptive_start(oy, inH, outH), he = adaptive_end(oy, inH, outH);
        int ws = adaptive_start(ox, inW, outW), we = adaptive_end(ox, inW, outW);
        float sum = 0.0f;
        for (int ix = ws; ix < we; ++ix)
        {
            float column = src[(long long)hs * inW + ix];
            for (int iy = hs + 1; iy < he; ++iy) column = column + src[(long long)iy * inW + ix];
            sum = sum + column;
        }
        y[i] = sum / (float)((he - hs) * (we - ws));
    }
}

extern "C" __global__ void k_adaptive_avg_backward(const float* dy, float* dx, int n, int inH, int inW, int outH, int outW)
{
    LOOP(i, n)
    {
        int ix = (int)(i % inW);
        long long r = i / inW;
        int iy = (int)(r % inH);
        long long plane = r / inH;
        const float* grad = dy + plane * outH * outW;
        // Outputs whose windows hold row iy: oy in [floor(iy*outH/inH), ceil((iy+1)*outH/inH) - 1].
        int oy0 = (int)(((long long)iy * outH) / inH), oy1 = (int)(((long long)(iy + 1) * outH + inH - 1) / inH) - 1;
        int ox0 = (int)(((long long)ix * outW) / inW), ox1 = (int)(((long long)(ix + 1) * outW + inW - 1) / inW) - 1;
        if (oy1 > outH - 1) oy1 = outH - 1;
        if (ox1 > outW - 1) ox1 = outW - 1;
        float acc = 0.0f;
        for (int oy = oy0; oy <= oy1; ++oy)
        {
            int rows = adaptive_end(oy, inH, outH) - adaptive_start(oy, inH, outH);
            float spread = 0.0f;
            for (int ox = ox0; ox <= ox1; ++ox)
            {
                int columns = adaptive_end(ox, inW, outW) - adaptive_start(ox, inW, outW);
                spread = spread + grad[(long long)oy * outW + ox] / (float)(rows * columns);
            }
            acc = acc + spread;
        }
        dx[i] = acc;
    }
}
""";
}
