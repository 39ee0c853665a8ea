using AlexNet.Autograd;
using AlexNet.Layers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>Networks serialise to JSON and back to an equal network, bit for bit; malformed documents are refused clearly.</summary>
public sealed class JsonTests
{
    [Property(MaxTest = 100, Replay = "(2718281829,1414213563)")]
    public Property RandomStacksRoundTrip() => Prop.ForAll(StackCase.Gen.ToArbitrary(), c =>
    {
        var net = Network.Create(c.InputShape, c.Layers());
        var json = net.ToJson();
        var back = Network.FromJson(json);
        Assert.Equal(net, back);
        Assert.Equal(net.GetHashCode(), back.GetHashCode());
        Assert.Equal(json, back.ToJson());
    });

    [Fact]
    public void PresetsAndAwkwardFloatsRoundTripBitForBit()
    {
        float odd = BitConverter.Int32BitsToSingle(0x3C23D70B); // the float after 0.01f
        var net = Network.Create(new Shape(2, 9, 9),
        [
            new Sequential("block", new Conv("c", 3, 3, 2, 1, odd, -1.5e-7f), new Lrn("n", 3, 1e-4f, 0.7500001f, float.Epsilon)),
            new Flatten("f"), new Dropout("d", 0.3333333f), new Dense("fc", 2, 1e-30f, 3.4028235e38f), new Softmax("s"),
        ]);
        foreach (var n in new[] { net, Presets.AlexNet(), Presets.AlexNet(towers: 1), Presets.AlexNetSmall() })
        {
            var back = Network.FromJson(n.ToJson());
            Assert.Equal(n, back);
        }
        var conv = (Conv)((Sequential)Network.FromJson(net.ToJson()).Layers[0]).Layers[0];
        Assert.Equal(BitConverter.SingleToInt32Bits(odd), BitConverter.SingleToInt32Bits(conv.WeightStd));
        Assert.NotEqual(net, Presets.AlexNet());
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "must be an object")]
    [InlineData("""{"format":"other","version":1,"input":[4],"layers":[]}""", "'format' is 'other'")]
    [InlineData("""{"format":"alexnet.network","version":2,"input":[4],"layers":[]}""", "version 2")]
    [InlineData("""{"format":"alexnet.network","version":1,"layers":[]}""", "lacks property 'input'")]
    [InlineData("""{"format":"alexnet.network","version":1,"input":[4],"layers":[{"type":"gru","name":"g"}]}""", "unknown type 'gru'")]
    [InlineData("""{"format":"alexnet.network","version":1,"input":[4],"layers":[{"type":"dense","name":"d","weightStd":0.01}]}""", "lacks property 'out'")]
    [InlineData("""{"format":"alexnet.network","version":1,"input":[4],"layers":[{"type":"dense","name":"d","out":2,"initializer":"Lecun"}]}""", "expected one of Gaussian, He, Glorot")]
    [InlineData("""{"format":"alexnet.network","version":1,"input":[4],"layers":[{"type":"relu","name":"r","extra":1}]}""", "unknown property 'extra'")]
    [InlineData("""{"format":"alexnet.network","version":1,"input":[4],"layers":[{"type":"dense","name":"d","out":"2","weightStd":0.01,"biasInit":0}]}""", "must be a 32-bit integer")]
    [InlineData("""{"format":"alexnet.network","version":1,"input":[4],"layers":[{"type":"dropout","name":"d","p":1e400}]}""", "finite number")]
    [InlineData("""{"format":"alexnet.network","version":1,"input":[4],"input":[4],"layers":[]}""", "twice")]
    [InlineData("""{"format":"alexnet.network","version":1,"input":[4],"layers":[{"type":"relu","name":"\ud800"}]}""", "not valid JSON")]
    public void MalformedDocumentsGiveAFormatException(string json, string message)
    {
        var e = Assert.Throws<FormatException>(() => Network.FromJson(json));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AWellFormedButInvalidStackGivesTheShapeError()
    {
        var json = """{"format":"alexnet.network","version":1,"input":[3,8,8],"layers":[{"type":"dense","name":"fc","out":2,"weightStd":0.01,"biasInit":0}]}""";
        var e = Assert.Throws<ArgumentException>(() => Network.FromJson(json));
        Assert.Contains("'fc' (Dense)", e.Message);
    }

    /// <summary>Settings with a default may be left out (files written before the setting existed), and every setting
    /// is written.</summary>
    [Fact]
    public void PropertiesWithADefaultMayBeLeftOut()
    {
        var json = """{"format":"alexnet.network","version":1,"input":[4],"layers":[{"type":"dense","name":"d","out":2}]}""";
        var net = Network.FromJson(json);
        Assert.Equal(new Dense("d", 2), net.Layers[0]);
        var glorot = Network.Create(new Shape(4), [new Dense("d", 2, Initializer: Initializer.Glorot)]);
        Assert.Contains("\"initializer\": \"Glorot\"", glorot.ToJson());
        Assert.Equal(glorot, Network.FromJson(glorot.ToJson()));
    }
}
