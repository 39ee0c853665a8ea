namespace AlexNet.Gpu.Interop;

/// <summary>Turns a call expression captured by <c>CallerArgumentExpression</c> into the native function's name.</summary>
internal static class CallName
{
    /// <summary><c>CudaRuntime.cudaMalloc(out p, n)</c> → <c>cudaMalloc</c>.</summary>
    public static string Of(string expression)
    {
        int paren = expression.IndexOf('(');
        var head = paren < 0 ? expression : expression[..paren];
        int dot = head.LastIndexOf('.');
        var name = (dot < 0 ? head : head[(dot + 1)..]).Trim();
        return name.Length == 0 ? expression : name;
    }
}
