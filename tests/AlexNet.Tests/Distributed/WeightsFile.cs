namespace AlexNet.Tests.Distributed;

/// <summary>Reads the weights the distributed test host writes: per tensor its name, element count and floats.</summary>
internal static class WeightsFile
{
    public static Dictionary<string, float[]> Read(string path)
    {
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        using var reader = new BinaryReader(File.OpenRead(path));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var name = reader.ReadString();
            var values = new float[reader.ReadInt32()];
            for (int i = 0; i < values.Length; i++) values[i] = reader.ReadSingle();
            weights[name] = values;
        }
        return weights;
    }
}
