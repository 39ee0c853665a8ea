namespace AlexNet.Gpu.Kernels;

/// <summary>An NVRTC output: the architecture option used and the CUBIN or NUL-terminated PTX image.</summary>
/// <param name="Architecture">e.g. <c>sm_90</c> (CUBIN) or <c>compute_90</c> (PTX).</param>
/// <param name="Image">Bytes for <c>cuModuleLoadData</c>.</param>
internal sealed record CompiledKernels(string Architecture, byte[] Image);
