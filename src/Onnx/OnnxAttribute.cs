using Google.Protobuf;
using Onnx;

namespace AlexNet.Onnx;

/// <summary>One attribute of an ONNX node (an integer, a list of integers, a float or a string), as the node helpers of
/// <see cref="OnnxGraphBuilder"/> and its <see cref="OnnxGraphBuilder.AddNode"/> take them.</summary>
internal sealed class OnnxAttribute
{
    private readonly AttributeProto _proto;

    private OnnxAttribute(AttributeProto proto) => _proto = proto;

    /// <summary>The attribute's name, as the operator's specification spells it (e.g. <c>kernel_shape</c>).</summary>
    public string Name => _proto.Name;

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) =>
        new(new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Int, I = value });

    /// <summary>An INTS attribute (e.g. <c>kernel_shape</c>, <c>strides</c>, <c>pads</c>).</summary>
    public static OnnxAttribute Ints(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var proto = new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Ints };
        proto.Ints.Add(values);
        return new(proto);
    }

    /// <summary>A FLOAT attribute; it must be finite, as no ONNX operator this library exports accepts otherwise.</summary>
    public static OnnxAttribute Float(string name, float value) => float.IsFinite(value)
        ? new(new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Float, F = value })
        : throw new ArgumentException($"ONNX attribute '{name}' must be finite, got {value}.", nameof(value));

    /// <summary>A STRING attribute, stored as UTF-8.</summary>
    public static OnnxAttribute String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });
    }

    /// <summary>A copy of the attribute as a protobuf message, to be owned by one node.</summary>
    internal AttributeProto ToProto() => _proto.Clone();

    private static string CheckName(string name) => string.IsNullOrWhiteSpace(name)
        ? throw new ArgumentException("An ONNX attribute needs a name (as the operator's specification spells it).", nameof(name))
        : name;
}
