namespace AlexNet.Layers;

/// <summary>The safetensors element types this library reads (converting to float32) and writes.</summary>
public enum SafeTensorsDtype
{
    /// <summary><c>F32</c>: IEEE single precision, 4 bytes.</summary>
    F32,

    /// <summary><c>F16</c>: IEEE half precision, 2 bytes (converted exactly to float32 on reading; rounded to nearest
    /// even on writing).</summary>
    F16,

    /// <summary><c>BF16</c>: bfloat16, the upper 2 bytes of a float32 (converted exactly on reading; rounded to nearest
    /// even on writing).</summary>
    BF16,
}
