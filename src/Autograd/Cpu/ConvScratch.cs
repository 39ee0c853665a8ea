namespace AlexNet.Autograd.Cpu;

/// <summary>One thread's index tables for the convolution panel sources, allocated once per thread (pinned).</summary>
internal sealed unsafe class ConvScratch
{
    [ThreadStatic]
    private static ConvScratch? t_current;

    private readonly int[] _tables = GC.AllocateArray<int>(GemmTile512.Columns, pinned: true);

    /// <summary>The calling thread's tables.</summary>
    public static ConvScratch Current => t_current ??= new ConvScratch();

    /// <summary>Column runs of one packed block (at most two per column plus one).</summary>
    public ImageColumnsB.Run[] Runs { get; } = new ImageColumnsB.Run[2 * PackedGemm.NC + 1];

    /// <summary>Input offset of each column of a micro-panel.</summary>
    public int* Offsets => (int*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _tables[0]);
}
