using System.Text;
using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>
/// Derives the random key of a named thing (a layer, a parameter) from a root key: the root folded with a stable
/// 64-bit FNV-1a hash of the name. A layer's random numbers therefore depend only on the root key and its own name, not
/// on its position in the stack.
/// </summary>
internal static class LayerKeys
{
    /// <summary>The key of <paramref name="name"/> under <paramref name="root"/>.</summary>
    public static RandomKey For(RandomKey root, string name) => root.Fold(Fnv1a(name));

    /// <summary>64-bit FNV-1a over the UTF-8 bytes of <paramref name="text"/> (stable across processes and platforms).</summary>
    public static ulong Fnv1a(string text)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            h ^= b;
            h *= 0x100000001B3UL;
        }
        return h;
    }
}
