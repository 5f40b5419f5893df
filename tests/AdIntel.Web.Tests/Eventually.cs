using System.Diagnostics;

namespace AdIntel.Web.Tests;

/// <summary>Waits for a condition that background work makes true, and fails with a message that says what never happened.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="failure"/> (plus <paramref name="describe"/>'s state) after the timeout.</summary>
    public static Task HoldsAsync(Func<Task<bool>> condition, string failure, TimeSpan? timeout = null, Func<string>? describe = null) =>
        HoldsAsync(condition, failure, () => Task.FromResult(describe?.Invoke() ?? ""), timeout);

    /// <summary>The same, for state that takes a query to describe (rows in the database, say).</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string failure, Func<Task<string>> describe, TimeSpan? timeout = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        var pause = TimeSpan.FromMilliseconds(20);
        while (!await condition())
        {
            if (stopwatch.Elapsed > limit)
            {
                var state = await describe();
                Assert.Fail($"{failure} (waited {limit.TotalSeconds:0.#} s){(state.Length == 0 ? "" : Environment.NewLine + state)}");
            }
            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 250));
        }
    }
}
