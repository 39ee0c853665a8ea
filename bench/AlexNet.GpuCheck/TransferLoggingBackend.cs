using AlexNet.Autograd;
using AlexNet.Autograd.Kernels;

namespace AlexNet.GpuCheck;

/// <summary>
/// A device that forwards every kernel to another backend (CUDA or CPU) and records every upload into it and every
/// download from it in a <see cref="TransferLog"/>: <see cref="Ops.To"/> is a download from the source device followed
/// by an upload to the target, so the log shows each transfer between devices with its direction and size.
/// </summary>
/// <param name="inner">The backend that runs the kernels; disposed with this one.</param>
/// <param name="log">Where every upload and download is recorded, shared by the devices of one placement so that
/// <see cref="TransferLog.Summarise"/> can pair them into transfers.</param>
/// <param name="label">Name shown for this device; the inner backend's name when null.</param>
internal sealed class TransferLoggingBackend(IBackend inner, TransferLog log, string? label = null) : DelegatingBackend(inner, label)
{
    private readonly TransferLog _log = log ?? throw new ArgumentNullException(nameof(log));

    /// <inheritdoc/>
    public override DeviceBuffer Upload(ReadOnlySpan<float> data)
    {
        _log.Add(new TransferLog.Event(TransferLog.Kind.Upload, Name, data.Length));
        return base.Upload(data);
    }

    /// <inheritdoc/>
    public override void Download(DeviceBuffer source, Span<float> destination)
    {
        _log.Add(new TransferLog.Event(TransferLog.Kind.Download, Name, destination.Length));
        base.Download(source, destination);
    }
}
