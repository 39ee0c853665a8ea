namespace AlexNet.Tests.Gpu;

/// <summary>Shortens a multi-line loader report to its first line for a skip reason.</summary>
internal static class GpuSkipReason
{
    public static string FirstLine(string s)
    {
        int nl = s.IndexOf('\n');
        return nl < 0 ? s : s[..nl];
    }
}
