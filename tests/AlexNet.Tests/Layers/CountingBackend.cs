using AlexNet.Autograd;
using AlexNet.Autograd.Cpu;
using AlexNet.Autograd.Kernels;

namespace AlexNet.Tests.Layers;

/// <summary>
/// A device for tests: a private <see cref="CpuBackend"/> behind a decorator that logs every upload to it and every
/// download from it into a log shared by several devices. <see cref="Ops.To"/> is a download from the source followed
/// by an upload to the target, so the log shows each transfer with its direction and size.
/// </summary>
internal sealed class CountingBackend(string name, TransferLog log) : DelegatingBackend(new CpuBackend(threads: 1), name)
{
    public override DeviceBuffer Upload(ReadOnlySpan<float> data)
    {
        log.Add(new TransferLog.Event(TransferLog.Kind.Upload, Name, data.Length));
        return base.Upload(data);
    }

    public override void Download(DeviceBuffer source, Span<float> destination)
    {
        log.Add(new TransferLog.Event(TransferLog.Kind.Download, Name, destination.Length));
        base.Download(source, destination);
    }
}

/// <summary>Upload and download events of several <see cref="CountingBackend"/>s, in order.</summary>
internal sealed class TransferLog
{
    private readonly List<Event> _events = [];

    public enum Kind { Upload, Download }

    public readonly record struct Event(Kind Kind, string Device, int Count);

    /// <summary>A move of <paramref name="Count"/> values from one device to another.</summary>
    public readonly record struct Transfer(string From, string To, int Count)
    {
        public override string ToString() => $"{From}→{To} ({Count})";
    }

    public void Add(Event e)
    {
        lock (_events) _events.Add(e);
    }

    public void Clear()
    {
        lock (_events) _events.Clear();
    }

    public IReadOnlyList<Event> Events
    {
        get { lock (_events) return [.. _events]; }
    }

    /// <summary>The log read as transfers: each download immediately followed by an upload of the same size. Any other
    /// event (an upload of host data, a read back to the host) fails the test.</summary>
    public List<Transfer> Transfers()
    {
        var events = Events;
        var result = new List<Transfer>();
        for (int i = 0; i < events.Count; i++)
        {
            var down = events[i];
            if (down.Kind != Kind.Download || i + 1 >= events.Count || events[i + 1].Kind != Kind.Upload || events[i + 1].Count != down.Count)
                throw new Xunit.Sdk.XunitException($"Event {i} ({down}) is not part of a device-to-device transfer; log: {string.Join(", ", events)}");
            result.Add(new Transfer(down.Device, events[i + 1].Device, down.Count));
            i++;
        }
        return result;
    }
}
