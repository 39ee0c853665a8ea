namespace AlexNet.Autograd.Kernels;

/// <summary>Elementwise unary kernels.</summary>
public enum UnaryKernel
{
    /// <summary>y = −x.</summary>
    Neg,
    /// <summary>y = eˣ.</summary>
    Exp,
    /// <summary>y = ln x.</summary>
    Log,
    /// <summary>y = max(x, 0).</summary>
    Relu,
}

/// <summary>Elementwise binary kernels (with NumPy broadcasting).</summary>
public enum BinaryKernel
{
    /// <summary>y = a + b.</summary>
    Add,
    /// <summary>y = a − b.</summary>
    Sub,
    /// <summary>y = a · b.</summary>
    Mul,
    /// <summary>y = a / b.</summary>
    Div,
    /// <summary>y = 1 where a == b, else 0 (not differentiable; used by max's backward).</summary>
    Equal,
}

/// <summary>Reduction kernels.</summary>
public enum ReduceKernel
{
    /// <summary>Sum over the reduced axes.</summary>
    Sum,
    /// <summary>Maximum over the reduced axes.</summary>
    Max,
}
