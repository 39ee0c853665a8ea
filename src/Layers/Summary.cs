using System.Globalization;
using System.Text;
using AlexNet.Autograd;

namespace AlexNet.Layers;

/// <summary>A network's layers with their output shapes and parameter counts; <see cref="ToString"/> renders the table.</summary>
public sealed class Summary
{
    private Summary(Shape inputShape, IReadOnlyList<SummaryRow> rows, long total)
    {
        InputShape = inputShape;
        Rows = rows;
        TotalParameters = total;
    }

    /// <summary>The network's per-example input shape.</summary>
    public Shape InputShape { get; }

    /// <summary>One row per layer, blocks and groups followed by their contents.</summary>
    public IReadOnlyList<SummaryRow> Rows { get; }

    /// <summary>Scalar parameters of the whole network.</summary>
    public long TotalParameters { get; }

    /// <summary>The row of the layer named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No layer has that name.</exception>
    public SummaryRow this[string name] => Rows.FirstOrDefault(r => r.Name == name)
        ?? throw new KeyNotFoundException($"The network has no layer named '{name}'.");

    internal static Summary Of(Network network)
    {
        var rows = network.Lower().Layers
            .Select(l => new SummaryRow(l.Layer.Name, l.Layer.SummaryKind, l.Depth, l.Output, l.Parameters))
            .ToList();
        return new Summary(network.InputShape, rows, network.ParameterCount);
    }

    /// <summary>The table: layer (indented by depth), kind, output shape and parameters, then the total.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var cells = Rows.Select(r => (Name: new string(' ', 2 * r.Depth) + r.Name, r.Kind, Shape: r.OutputShape.ToString(),
                                      Params: r.Parameters.ToString("N0", c))).ToList();
        cells.Insert(0, ("input", "", InputShape.ToString(), ""));
        int w1 = Math.Max(5, cells.Max(x => x.Name.Length)), w2 = Math.Max(4, cells.Max(x => x.Kind.Length));
        int w3 = Math.Max(6, cells.Max(x => x.Shape.Length)), w4 = Math.Max(10, cells.Max(x => x.Params.Length));
        var sb = new StringBuilder();
        sb.Append("Layer".PadRight(w1)).Append("  ").Append("Kind".PadRight(w2)).Append("  ").Append("Output".PadRight(w3))
          .Append("  ").Append("Parameters".PadLeft(w4)).Append('\n');
        sb.Append(new string('-', w1 + w2 + w3 + w4 + 6)).Append('\n');
        foreach (var (name, kind, shape, p) in cells)
            sb.Append(name.PadRight(w1)).Append("  ").Append(kind.PadRight(w2)).Append("  ").Append(shape.PadRight(w3))
              .Append("  ").Append(p.PadLeft(w4)).Append('\n');
        sb.Append(new string('-', w1 + w2 + w3 + w4 + 6)).Append('\n');
        sb.Append("Total parameters: ").Append(TotalParameters.ToString("N0", c)).Append('\n');
        return sb.ToString();
    }
}
