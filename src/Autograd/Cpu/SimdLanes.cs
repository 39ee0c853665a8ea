using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Autograd.Cpu;

/// <summary>The float vector width a lane-generic kernel is instantiated with.</summary>
internal enum LaneWidth
{
    /// <summary><see cref="Vector128{T}"/>: 4 floats (any hardware).</summary>
    V128,

    /// <summary><see cref="Vector256{T}"/>: 8 floats.</summary>
    V256,

    /// <summary><see cref="Vector512{T}"/>: 16 floats.</summary>
    V512,
}

/// <summary>
/// The vector operations of one float vector type, as static members of a struct type argument: a kernel written once
/// against <see cref="ILanes{TV}"/> is specialised by the JIT for each width with every call inlined. Each operation is
/// the same IEEE operation at every width, so a lane's result does not depend on the width that computed it.
/// </summary>
/// <typeparam name="TV">The vector type.</typeparam>
internal unsafe interface ILanes<TV> where TV : unmanaged
{
    /// <summary>Floats in one vector.</summary>
    static abstract int Count { get; }

    /// <summary>Unaligned load of <see cref="Count"/> floats.</summary>
    static abstract TV Load(float* p);

    /// <summary>Unaligned store of <see cref="Count"/> floats.</summary>
    static abstract void Store(TV v, float* p);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TV Splat(float value);

    /// <summary>a + b.</summary>
    static abstract TV Add(TV a, TV b);

    /// <summary>a · b.</summary>
    static abstract TV Multiply(TV a, TV b);

    /// <summary>a · b + c with a single rounding.</summary>
    static abstract TV FusedMultiplyAdd(TV a, TV b, TV c);

    /// <summary>a / b.</summary>
    static abstract TV Divide(TV a, TV b);

    /// <summary>√a.</summary>
    static abstract TV Sqrt(TV a);

    /// <summary>Natural logarithm.</summary>
    static abstract TV Log(TV a);

    /// <summary>e^a.</summary>
    static abstract TV Exp(TV a);
}

/// <summary>Picks the widest lane type worth using on this machine.</summary>
internal static class SimdLanes
{
    /// <summary>The widest width the hardware runs natively.</summary>
    /// <remarks>
    /// Asks for the instruction set rather than <c>Vector512.IsHardwareAccelerated</c>, which .NET reports false on
    /// Skylake-X and Cascade Lake although the instructions run (see <see cref="PackedGemm.Best"/>).
    /// </remarks>
    public static LaneWidth Best { get; } =
        Avx512F.IsSupported ? LaneWidth.V512
        : Vector256.IsHardwareAccelerated ? LaneWidth.V256
        : LaneWidth.V128;

    /// <summary>Floats per vector at <paramref name="width"/>.</summary>
    public static int CountOf(LaneWidth width) => width switch
    {
        LaneWidth.V512 => 16,
        LaneWidth.V256 => 8,
        _ => 4,
    };
}

/// <summary><see cref="ILanes{TV}"/> over <see cref="Vector512{T}"/>.</summary>
internal readonly unsafe struct Lanes512 : ILanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p) => Vector512.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> v, float* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Splat(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FusedMultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> a) => Vector512.Log(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> a) => Vector512.Exp(a);
}

/// <summary><see cref="ILanes{TV}"/> over <see cref="Vector256{T}"/>.</summary>
internal readonly unsafe struct Lanes256 : ILanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* p) => Vector256.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> v, float* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Splat(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FusedMultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> a) => Vector256.Log(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> a) => Vector256.Exp(a);
}

/// <summary><see cref="ILanes{TV}"/> over <see cref="Vector128{T}"/>.</summary>
internal readonly unsafe struct Lanes128 : ILanes<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* p) => Vector128.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> v, float* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Splat(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FusedMultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log(Vector128<float> a) => Vector128.Log(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> a) => Vector128.Exp(a);
}
