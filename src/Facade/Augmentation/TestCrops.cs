namespace AlexNet.Facade;

/// <summary>The evaluation views of the paper: the centre crop, and the ten crops (four corners and the centre, each
/// also reflected) whose softmax outputs are averaged.</summary>
public static class TestCrops
{
    /// <summary>The centre crop of a <paramref name="height"/>×<paramref name="width"/> image padded by
    /// <paramref name="padding"/>.</summary>
    public static CropWindow Centre(int height, int width, int padding, int cropSize) =>
        CropWindow.At((height + 2 * padding - cropSize) / 2, (width + 2 * padding - cropSize) / 2);

    /// <summary>The paper's ten views: top-left, top-right, bottom-left, bottom-right, centre, then the same five reflected.</summary>
    public static IReadOnlyList<CropWindow> TenCrops(int height, int width, int padding, int cropSize)
    {
        int bottom = height + 2 * padding - cropSize, right = width + 2 * padding - cropSize;
        var centre = Centre(height, width, padding, cropSize);
        (int Top, int Left)[] corners = [(0, 0), (0, right), (bottom, 0), (bottom, right), (centre.Top, centre.Left)];
        return [.. corners.Select(c => CropWindow.At(c.Top, c.Left)), .. corners.Select(c => CropWindow.At(c.Top, c.Left, flip: true))];
    }
}
