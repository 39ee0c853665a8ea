using AlexNet.Autograd;

namespace AlexNet.Facade;

/// <summary>
/// How a run derives every random stream from its one root key, so that the same seed gives the same run and a resumed
/// run draws what the uninterrupted one would have: initialisation, and per epoch the order, each image's augmentation
/// and each step's dropout masks.
/// </summary>
public static class RandomKeys
{
    /// <summary>The root key of a seed.</summary>
    public static RandomKey Root(long seed) => RandomKey.FromSeed(seed);

    /// <summary>The key that initialises the weights.</summary>
    public static RandomKey Initialisation(RandomKey root) => root.Fold(0);

    /// <summary>The key of an epoch's visiting order (epochs counted from 0).</summary>
    public static RandomKey Order(RandomKey root, int epoch) => root.Fold(1).Fold((ulong)epoch).Fold(0);

    /// <summary>The key whose children (one per image position in the epoch) draw the augmentation.</summary>
    public static RandomKey Augmentation(RandomKey root, int epoch) => root.Fold(1).Fold((ulong)epoch).Fold(1);

    /// <summary>The dropout key of one step.</summary>
    public static RandomKey Dropout(RandomKey root, int epoch, int step) => root.Fold(2).Fold((ulong)epoch).Fold((ulong)step);
}
