namespace AlexNet.GpuCheck;

/// <summary>
/// The uploads and downloads of several <see cref="TransferLoggingBackend"/>s, in the order they happened. A download
/// from one device directly followed by an upload of the same size to another is one transfer (that is what
/// <see cref="AlexNet.Autograd.Ops.To"/> does); a download with no such upload is a host read, an upload with no such
/// download puts host data on a device.
/// </summary>
internal sealed class TransferLog
{
    private readonly List<Event> _events = [];

    /// <summary>Whether data entered or left a device.</summary>
    public enum Kind
    {
        /// <summary>Host data copied into the device.</summary>
        Upload,

        /// <summary>Device data copied to the host.</summary>
        Download,
    }

    /// <summary>One upload or download of <paramref name="Floats"/> values on <paramref name="Device"/>.</summary>
    public readonly record struct Event(Kind Kind, string Device, long Floats);

    /// <summary>A move of <paramref name="Floats"/> values from one device to another.</summary>
    public readonly record struct Transfer(string From, string To, long Floats)
    {
        /// <inheritdoc/>
        public override string ToString() => $"{From} → {To}: {Floats:N0} floats";
    }

    /// <summary>Appends an event (thread-safe).</summary>
    public void Add(Event e)
    {
        lock (_events) _events.Add(e);
    }

    /// <summary>Forgets every event.</summary>
    public void Clear()
    {
        lock (_events) _events.Clear();
    }

    /// <summary>The transfers since the last <see cref="Clear"/>, and the host reads and host writes that were not part of one.</summary>
    public (List<Transfer> Transfers, int HostReads, int HostWrites) Summarise()
    {
        Event[] events;
        lock (_events) events = [.. _events];
        var transfers = new List<Transfer>();
        int reads = 0, writes = 0;
        for (int i = 0; i < events.Length; i++)
        {
            var e = events[i];
            if (e.Kind == Kind.Download && i + 1 < events.Length && events[i + 1] is { Kind: Kind.Upload } next
                && next.Floats == e.Floats && next.Device != e.Device)
            {
                transfers.Add(new Transfer(e.Device, next.Device, e.Floats));
                i++;
            }
            else if (e.Kind == Kind.Download) reads++;
            else writes++;
        }
        return (transfers, reads, writes);
    }
}
