using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace AlexNet.Layers;

/// <summary>
/// The layer kinds a network's JSON form can name: every concrete layer record of this library, and the kinds an
/// application registers. A kind's JSON is read off its record: <c>"type"</c> is the type name in lower case and every
/// parameter of its primary constructor is a property in camel case (<c>Conv(Name, Out, Kernel, ...)</c> →
/// <c>{"type":"conv","name":...,"out":...,"kernel":...}</c>), so a new kind needs no serialisation code.
/// </summary>
/// <remarks>A property whose constructor parameter has a default may be missing from a document and then takes that
/// default, so a kind can gain settings without breaking files written before. Constructor parameters may be <see cref="string"/>, <see cref="int"/>, <see cref="float"/>,
/// <see cref="bool"/>, an enum (written by name) or a <see cref="LayerList"/>; each must have a public property of the
/// same name and type (as positional records do).</remarks>
public static class LayerKinds
{
    private static readonly ConcurrentDictionary<string, LayerKind> ByName = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Type, LayerKind> ByType = new();

    static LayerKinds()
    {
        foreach (var type in typeof(Layer).Assembly.GetExportedTypes())
            if (!type.IsAbstract && type.IsSubclassOf(typeof(Layer))) Add(type);
    }

    /// <summary>Makes layers of type <typeparamref name="T"/> readable and writable in network JSON.</summary>
    /// <exception cref="ArgumentException">The type has no constructor whose parameters all match properties of a
    /// supported type, or another type already uses its JSON name.</exception>
    public static void Register<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicProperties)] T>()
        where T : Layer => Add(typeof(T));

    /// <summary>The JSON names of every known kind, sorted.</summary>
    public static IReadOnlyList<string> Names => [.. ByName.Keys.Order(StringComparer.Ordinal)];

    internal static LayerKind Of(Layer layer) => ByType.TryGetValue(layer.GetType(), out var kind)
        ? kind
        : throw new NotSupportedException($"Layer type {layer.GetType().Name} has no JSON form: register it with LayerKinds.Register<{layer.GetType().Name}>().");

    internal static bool TryFind(string name, [NotNullWhen(true)] out LayerKind? kind) => ByName.TryGetValue(name, out kind);

    private static void Add([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
    {
        var kind = LayerKind.Describe(type);
        var existing = ByName.GetOrAdd(kind.Name, kind);
        if (existing.Type != type)
            throw new ArgumentException($"Layer kind '{kind.Name}' is taken by {existing.Type.FullName}; {type.FullName} needs another type name.", nameof(type));
        ByType[type] = kind;
    }
}

/// <summary>How one layer type maps to JSON: its name, its constructor and one field per constructor parameter.</summary>
internal sealed record LayerKind(string Name, Type Type, ConstructorInfo Constructor, IReadOnlyList<LayerField> Fields)
{
    private static readonly Type[] Supported = [typeof(string), typeof(int), typeof(float), typeof(bool), typeof(LayerList)];

    public static LayerKind Describe([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
    {
        ConstructorInfo? best = null;
        List<LayerField>? bestFields = null;
        foreach (var ctor in type.GetConstructors())
        {
            var fields = new List<LayerField>();
            foreach (var p in ctor.GetParameters())
            {
                var property = type.GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                if (property is null || property.PropertyType != p.ParameterType || !property.CanRead) break;
                if (!Supported.Contains(p.ParameterType) && !p.ParameterType.IsEnum) break;
                fields.Add(new LayerField(char.ToLowerInvariant(p.Name![0]) + p.Name[1..], property, p.HasDefaultValue, p.HasDefaultValue ? p.DefaultValue : null));
            }
            if (fields.Count != ctor.GetParameters().Length || fields.Count == 0 || fields[0].Json != "name") continue;
            if (best is null || fields.Count > bestFields!.Count) (best, bestFields) = (ctor, fields);
        }
        if (best is null)
            throw new ArgumentException($"Layer type {type.FullName} needs a public constructor whose first parameter is the name and whose every parameter " +
                                        "matches a public property of the same name and type (string, int, float, bool, an enum or LayerList), as a positional record has.", nameof(type));
        return new LayerKind(type.Name.ToLowerInvariant(), type, best, bestFields!);
    }

    public Layer Create(object?[] arguments)
    {
        try
        {
            return (Layer)Constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}

/// <summary>One constructor parameter of a layer kind, the property that reads it back, and its default (a JSON
/// document may leave such a property out).</summary>
internal sealed record LayerField(string Json, PropertyInfo Property, bool HasDefault, object? Default)
{
    public Type Type => Property.PropertyType;
}
