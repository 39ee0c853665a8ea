namespace AlexNet.Facade;

/// <summary>What is subtracted from every input pixel before it enters the network.</summary>
public enum MeanSubtraction
{
    /// <summary>Nothing: raw byte values.</summary>
    None,

    /// <summary>The training set's mean image, position by position (the paper).</summary>
    MeanImage,

    /// <summary>The training set's mean value of each channel.</summary>
    MeanPixel,
}
