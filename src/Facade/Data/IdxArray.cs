namespace AlexNet.Facade;

/// <summary>The contents of one IDX file of unsigned bytes: its dimensions and its values in row-major order.</summary>
/// <param name="Dimensions">The dimension sizes as stored in the header, outermost first.</param>
/// <param name="Data">The values; its length is the product of <paramref name="Dimensions"/>.</param>
public sealed record IdxArray(IReadOnlyList<int> Dimensions, byte[] Data);
