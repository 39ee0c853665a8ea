using AlexNet.Autograd;
using AlexNet.Layers;
using FsCheck;
using FsCheck.Fluent;

namespace AlexNet.Tests.Layers;

/// <summary>
/// A random valid layer stack, described by an input shape, a tower count and a list of choices that an interpreter
/// turns into layers whose settings always fit the shape reached so far. Shrinking the choices shrinks the stack.
/// </summary>
public sealed record StackCase(int[] Input, int Towers, int[] Choices, int Batch, int Seed)
{
    public static Gen<StackCase> Gen =>
        from rank in FsCheck.Fluent.Gen.Elements(1, 3)
        from c in FsCheck.Fluent.Gen.Choose(1, 3)
        from h in FsCheck.Fluent.Gen.Choose(1, 7)
        from w in FsCheck.Fluent.Gen.Choose(1, 7)
        from towers in FsCheck.Fluent.Gen.Choose(1, 3)
        from choices in FsCheck.Fluent.Gen.ArrayOf(FsCheck.Fluent.Gen.Choose(0, 9999))
        from batch in FsCheck.Fluent.Gen.Choose(1, 3)
        from seed in FsCheck.Fluent.Gen.Choose(0, 1_000_000)
        select new StackCase(rank == 1 ? [c * h] : [c, h, w], towers, choices, batch, seed);

    public Shape InputShape => new(Input);

    /// <summary>The layers the choices describe (deterministic).</summary>
    public List<Layer> Layers() => new Interpreter(this).Build();

    public override string ToString() =>
        $"input [{string.Join(", ", Input)}], towers {Towers}, batch {Batch}, seed {Seed}: {new LayerList(Layers())}";

    private sealed class Interpreter(StackCase c)
    {
        private int _next;
        private int _id;

        private bool More => _next < c.Choices.Length;

        private int Pick(int n) => More ? c.Choices[_next++] % n : 0;

        private string NewName(string kind) => $"{kind}{_id++}";

        public List<Layer> Build()
        {
            var layers = new List<Layer>();
            var shape = c.InputShape;
            while (More && layers.Count < 7)
            {
                var layer = NextLayer(shape, allowBlocks: true);
                layers.Add(layer);
                shape = layer.OutputShape(shape);
            }
            if (shape.Rank == 1 && Pick(2) == 0)
            {
                layers.Add(new Dense(NewName("head"), 1 + Pick(4), WeightStd: 0.5f));
                layers.Add(new Softmax(NewName("prob")));
            }
            if (layers.Count == 0) layers.Add(new Relu(NewName("relu")));
            return layers;
        }

        private Layer NextLayer(Shape shape, bool allowBlocks)
        {
            int kinds = shape.Rank == 3 ? (allowBlocks ? 8 : 6) : (allowBlocks ? 5 : 3);
            int kind = Pick(kinds);
            if (shape.Rank == 3)
            {
                switch (kind)
                {
                    case 0: return ConvFor(shape);
                    case 1: return new Relu(NewName("relu"));
                    case 2: return new Lrn(NewName("lrn"), 1 + 2 * Pick(3), 0.1f * (1 + Pick(5)), 0.75f, 1f + Pick(2));
                    case 3:
                        int k = 1 + Pick(Math.Min(3, Math.Min(shape[1], shape[2])));
                        return new MaxPool(NewName("pool"), k, 1 + Pick(2), Pick(k / 2 + 1));
                    case 4: return new Dropout(NewName("drop"), 0.25f * Pick(3));
                    case 5: return new Flatten(NewName("flatten"));
                    case 6: return TowersFor(shape);
                    default: return SequentialFor(shape);
                }
            }
            switch (kind)
            {
                case 0: return new Dense(NewName("dense"), 1 + Pick(5), WeightStd: 0.5f, BiasInit: 0.1f);
                case 1: return new Relu(NewName("relu"));
                case 2: return new Dropout(NewName("drop"), 0.25f * Pick(3));
                case 3: return TowersFor(shape);
                default: return SequentialFor(shape);
            }
        }

        private Conv ConvFor(Shape shape)
        {
            int pad = Pick(2);
            int k = 1 + Pick(Math.Min(3, Math.Min(shape[1], shape[2]) + 2 * pad));
            return new Conv(NewName("conv"), 1 + Pick(4), k, 1 + Pick(2), pad, WeightStd: 0.5f, BiasInit: 0.1f);
        }

        private Towers TowersFor(Shape shape)
        {
            var body = new List<Layer> { shape.Rank == 3 ? ConvFor(shape) : new Dense(NewName("dense"), 1 + Pick(4), WeightStd: 0.5f) };
            var inner = body[0].OutputShape(shape);
            int more = Pick(3);
            for (int i = 0; i < more; i++)
            {
                var layer = NextLayer(inner, allowBlocks: false);
                body.Add(layer);
                inner = layer.OutputShape(inner);
            }
            return new Towers(NewName("towers"), c.Towers, [.. body]);
        }

        private Sequential SequentialFor(Shape shape)
        {
            var inner = shape;
            var body = new List<Layer>();
            int count = 1 + Pick(2);
            for (int i = 0; i < count; i++)
            {
                var layer = NextLayer(inner, allowBlocks: false);
                body.Add(layer);
                inner = layer.OutputShape(inner);
            }
            return new Sequential(NewName("seq"), [.. body]);
        }
    }
}
