using System.Diagnostics;
using AlexNet.Facade;
using SkiaSharp;

namespace AlexNet.Bench;

/// <summary>
/// <c>alexnet prepare</c>'s throughput: ImageNet-sized photographs (generated 500×375 JPEGs, quality 90) to 256×256, and
/// CIFAR-10's 32×32 JPEGs to 32×32, with one thread and with all cores. Also leaves the stores the loader bench reads.
/// </summary>
internal static class PrepareBench
{
    /// <summary>Where generated images and stores go (never committed).</summary>
    public const string WorkFolder = "/tmp/alexnet-bench";

    /// <summary>The CIFAR-10 JPEG folders.</summary>
    public const string Cifar = "/tmp/cifar/cifar10-jpeg";

    /// <summary>Runs the measurements and prepares <c>cifar-train-32.store</c> and <c>cifar-test-256.store</c>.</summary>
    public static void Run()
    {
        Directory.CreateDirectory(WorkFolder);
        var photos = Path.Combine(WorkFolder, "photos");
        if (!Directory.Exists(photos)) GeneratePhotos(photos, 500);
        Console.WriteLine("prepare (decode, scale shorter side, centre square, write the store): images/s, and per thread");
        int all = Environment.ProcessorCount;
        Measure("500×375 JPEG q90 → 256", photos, Path.Combine(WorkFolder, "photos-256.store"), 256, 1);
        Measure("500×375 JPEG q90 → 256", photos, Path.Combine(WorkFolder, "photos-256.store"), 256, all);
        if (!Directory.Exists(Cifar))
        {
            Console.WriteLine($"  ({Cifar} is missing: the CIFAR rows and the loader's stores are left out)");
            return;
        }
        Measure("CIFAR-10 train 32×32 JPEG → 32", Path.Combine(Cifar, "train"), Path.Combine(WorkFolder, "cifar-train-32.store"), 32, 1);
        Measure("CIFAR-10 train 32×32 JPEG → 32", Path.Combine(Cifar, "train"), Path.Combine(WorkFolder, "cifar-train-32.store"), 32, all);
        Measure("CIFAR-10 test 32×32 JPEG → 256 (upscaled)", Path.Combine(Cifar, "test"), Path.Combine(WorkFolder, "cifar-test-256.store"), 256, all);
        Console.WriteLine();
    }

    private static void Measure(string what, string folder, string store, int size, int threads)
    {
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var result = ImageStore.Prepare(folder, store, size, threads: threads);
        process.Refresh();
        int files = result.Count + result.Skipped.Count;
        double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine($"  {what,-44} {threads} thread(s): {files,6:N0} files in {result.Elapsed.TotalSeconds,6:F1} s = {result.ImagesPerSecond,7:N0} images/s, "
                        + $"{result.ImagesPerSecond / threads,6:N0} per thread; {cpu,6:F1} CPU s = {files / cpu,7:N0} images per CPU second");
    }

    /// <summary>Photograph-like JPEGs: smooth colour gradients with a few blobs and pixel noise, 500×375, quality 90,
    /// in two class folders.</summary>
    private static void GeneratePhotos(string folder, int count)
    {
        var clock = Stopwatch.StartNew();
        const int w = 500, h = 375;
        Parallel.For(0, count, i =>
        {
            var random = new Random(i);
            var rgba = new byte[w * h * 4];
            double fx = random.NextDouble() * 0.05, fy = random.NextDouble() * 0.05, phase = random.NextDouble() * 6;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int p = 4 * (y * w + x), noise = random.Next(-12, 13);
                    rgba[p] = (byte)Math.Clamp(128 + 100 * Math.Sin(fx * x + phase) + noise, 0, 255);
                    rgba[p + 1] = (byte)Math.Clamp(128 + 100 * Math.Cos(fy * y - phase) + noise, 0, 255);
                    rgba[p + 2] = (byte)Math.Clamp(255.0 * (x + y) / (w + h) + noise, 0, 255);
                    rgba[p + 3] = 255;
                }
            using var image = SKImage.FromPixelCopy(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul), rgba);
            using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
            var path = Path.Combine(folder, i % 2 == 0 ? "even" : "odd", $"{i:D4}.jpg");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, data.ToArray());
        });
        Console.WriteLine($"generated {count} photographs of {w}×{h} in {folder} ({clock.Elapsed.TotalSeconds:F1} s)");
    }
}
