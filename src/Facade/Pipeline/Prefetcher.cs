namespace AlexNet.Facade.Pipeline;

/// <summary>
/// Produces items 0 … count − 1 on background threads into a bounded queue and hands them out strictly in order: the
/// paper's arrangement of decoding and augmenting the next batches on the CPU while the current one trains.
/// </summary>
/// <remarks>
/// At most <c>depth</c> items are built or waiting at any time, so memory stays bounded however slow the consumer is.
/// Each item is a pure function of its index, so the order of completion on the workers never shows: the consumer sees
/// the same sequence as a single-threaded loop. An exception thrown while producing item i is rethrown by the
/// <see cref="Take"/> that asks for item i. Disposing stops the workers.
/// </remarks>
/// <typeparam name="T">The item type (a batch).</typeparam>
public sealed class Prefetcher<T> : IDisposable
{
    private readonly Func<int, T> _produce;
    private readonly TaskCompletionSource<T>[] _results;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _workers;
    private int _nextToProduce = -1;
    private int _nextToTake;
    private bool _disposed;

    /// <summary>Starts producing.</summary>
    /// <param name="count">Number of items.</param>
    /// <param name="produce">Builds item i; called from worker threads, so it must be thread-safe.</param>
    /// <param name="depth">Most items built or in progress ahead of the consumer (≥ 1).</param>
    /// <param name="workers">Worker threads (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">count is negative, or depth or workers below 1.</exception>
    public Prefetcher(int count, Func<int, T> produce, int depth = 4, int workers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentNullException.ThrowIfNull(produce);
        _produce = produce;
        _results = new TaskCompletionSource<T>[count];
        for (int i = 0; i < count; i++) _results[i] = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _slots = new SemaphoreSlim(depth, depth);
        _workers = new Thread[Math.Min(workers, Math.Max(count, 1))];
        for (int w = 0; w < _workers.Length; w++)
        {
            _workers[w] = new Thread(Work) { IsBackground = true, Name = $"prefetch-{w}" };
            _workers[w].Start();
        }
    }

    /// <summary>Number of items.</summary>
    public int Count => _results.Length;

    /// <summary>The next item in order; waits until it is ready.</summary>
    /// <exception cref="InvalidOperationException">Every item was taken.</exception>
    /// <exception cref="ObjectDisposedException">The prefetcher was disposed.</exception>
    public T Take()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_nextToTake >= _results.Length) throw new InvalidOperationException($"All {_results.Length} items were taken.");
        int i = _nextToTake++;
        try
        {
            return _results[i].Task.GetAwaiter().GetResult();
        }
        finally
        {
            _results[i] = null!; // completed, so its worker no longer reads it: let the item be collected
            _slots.Release();
        }
    }

    /// <summary>Stops the workers (items in progress finish and are dropped).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        foreach (var w in _workers) w.Join();
        _stop.Dispose();
        _slots.Dispose();
    }

    private void Work()
    {
        var token = _stop.Token;
        while (true)
        {
            try
            {
                _slots.Wait(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            int i = Interlocked.Increment(ref _nextToProduce);
            if (i >= _results.Length) return;
            var target = _results[i];
            try
            {
                target.SetResult(_produce(i));
            }
            catch (Exception e)
            {
                target.SetException(e);
            }
        }
    }
}
