using System.Collections.Concurrent;
using AdIntel.Web.Infrastructure.Security;

namespace AdIntel.Web.Alerts.Notifications;

/// <summary>
/// Keeps each webhook within its provider's pace in this process: posts to one webhook go one at a time, and after an
/// answer that asks for a pause (Slack's one message a second, a 429's wait, Discord's exhausted bucket) the next one
/// waits for it — up to <see cref="MaxWait"/>, beyond which the delivery is retried later instead of holding a worker.
/// Other instances are kept in line by the providers' 429s, which every delivery honours.
/// </summary>
public sealed class WebhookPacer(TimeProvider time)
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Gate> _gates = new();

    /// <summary>The webhook's turn (dispose it after the post), or, when its pause is longer than <see cref="MaxWait"/>, null and how long is left.</summary>
    public async Task<(Turn? Turn, TimeSpan Wait)> WaitTurnAsync(string webhookUrl, CancellationToken cancellationToken)
    {
        // Keyed by a hash: the address itself is not kept in memory longer than the post needs it.
        var gate = _gates.GetOrAdd(Secrets.Hash(webhookUrl), _ => new Gate());
        await gate.Lock.WaitAsync(cancellationToken);
        try
        {
            var wait = gate.NotBefore - time.GetUtcNow();
            if (wait > MaxWait)
            {
                gate.Lock.Release();
                return (null, wait);
            }
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            return (new Turn(gate, time), TimeSpan.Zero);
        }
        catch
        {
            gate.Lock.Release();
            throw;
        }
    }

    public sealed class Gate
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);
        public DateTimeOffset NotBefore { get; set; }
    }

    /// <summary>One post's hold on its webhook.</summary>
    public sealed class Turn(Gate gate, TimeProvider time) : IDisposable
    {
        private bool _released;

        /// <summary>The next post to this webhook waits this long.</summary>
        public void PauseFor(TimeSpan pause) => gate.NotBefore = time.GetUtcNow() + pause;

        public void Dispose()
        {
            if (!_released)
            {
                _released = true;
                gate.Lock.Release();
            }
        }
    }
}
