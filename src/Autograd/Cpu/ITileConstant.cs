namespace AlexNet.Autograd.Cpu;

/// <summary>
/// A compile-time integer carried by a struct type argument, so that a generic micro-kernel specialises per tile shape
/// and the JIT folds away the rows and columns it does not use.
/// </summary>
internal interface ITileConstant
{
    /// <summary>The constant.</summary>
    static abstract int Value { get; }
}
