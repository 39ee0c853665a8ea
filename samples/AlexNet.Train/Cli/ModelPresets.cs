using AlexNet.Autograd;
using AlexNet.Layers;

namespace AlexNet.Train.Cli;

/// <summary>The networks <c>--preset</c> can name.</summary>
internal static class ModelPresets
{
    /// <summary>The paper's AlexNet (227×227 input).</summary>
    public const string Paper = "alexnet";

    /// <summary>The layers library's 28×28 AlexNet (conv 64-128-192-192-128, fc 1024).</summary>
    public const string Small = "alexnet-small";

    /// <summary>The 28×28 AlexNet this sample trains Fashion-MNIST with (docs/training.md says how it was chosen).</summary>
    public const string Fashion = "fashion";

    /// <summary>The AlexNet for small colour photographs (28×28 crops of 32×32, CIFAR-10).</summary>
    public const string Cifar = "cifar";

    /// <summary>All names.</summary>
    public static IReadOnlyList<string> Names { get; } = [Fashion, Cifar, Small, Paper];

    /// <summary>True when the preset expects inputs scaled to unit variance (its He initialisation assumes it); the
    /// paper's presets take raw pixel values minus the mean, as the paper.</summary>
    public static bool ExpectsUnitVariance(string name) => name is Fashion or Cifar;

    /// <summary>The initial learning rate unless <c>--lr</c> says otherwise: the paper's 0.01, and 0.02 for the cifar
    /// preset, whose 30-minute CPU run it improved (docs/training.md).</summary>
    public static float LearningRate(string name) => name == Cifar ? 0.02f : 0.01f;

    /// <summary>Epochs without a new best validation error before a drop, unless <c>--patience</c> says otherwise: 2, and
    /// 3 for the cifar preset, whose noisier validation error dropped the rate too early with 2 (docs/training.md).</summary>
    public static int Patience(string name) => name == Cifar ? 3 : 2;

    private static Network Build(string name, Shape input, int classes, int towers) => name switch
    {
        Paper => Presets.AlexNet(input[0], input[1], classes, towers),
        Small => Presets.AlexNetSmall(input[0], input[1], classes, towers),
        Fashion => Presets.AlexNetFashion(input[0], input[1], classes, towers),
        _ => Presets.AlexNetCifar(input[0], input[1], classes, towers),
    };

    private static bool Fits(string name, Shape input, int classes, int towers)
    {
        try
        {
            Build(name, input, classes, towers);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Checks, before any data is read, that the preset divides into <paramref name="towers"/> towers (by
    /// building it for its usual input; nothing is allocated).</summary>
    /// <exception cref="CliException">It does not (exit 2).</exception>
    public static void CheckTowers(string name, int towers)
    {
        var input = name switch { Paper => new Shape(3, 227, 227), Cifar => new Shape(3, 28, 28), _ => new Shape(1, 28, 28) };
        Create(name, input, 10, towers);
    }

    /// <summary>Builds the network for images of <paramref name="input"/> [C, H, W] (after cropping).</summary>
    /// <exception cref="CliException">The name is unknown or the network does not fit the input.</exception>
    public static Network Create(string name, Shape input, int classes, int towers)
    {
        if (!Names.Contains(name)) throw new CliException($"--preset must be one of {string.Join(", ", Names)}; got '{name}'.", 2);
        try
        {
            return Build(name, input, classes, towers);
        }
        catch (ArgumentException e) when (e.ParamName == "towers")
        {
            var fitting = Enumerable.Range(1, 16).Where(t => Fits(name, input, classes, t));
            throw new CliException($"--towers {towers} does not suit the {name} preset: {CliApp.Message(e)} Towers that fit: {string.Join(", ", fitting)}.", 2);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"Preset '{name}' does not fit {input} images: {CliApp.Message(e)}");
        }
    }
}
