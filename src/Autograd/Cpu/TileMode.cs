namespace AlexNet.Autograd.Cpu;

/// <summary>How a GEMM micro-kernel combines its accumulated tile T with C.</summary>
internal enum TileMode
{
    /// <summary>C = T; C is never read (beta = 0 on the first k block, so NaNs in C vanish).</summary>
    Overwrite,

    /// <summary>C = C + T (later k blocks, or beta = 1).</summary>
    Accumulate,

    /// <summary>C = beta·C + T (first k block with a general beta).</summary>
    Scale,
}
