namespace AdIntel.Web.Domain;

/// <summary>
/// Requests counted against a limit shared by every instance (sign-in attempts per client address): one row per key, its
/// window starting with the first request counted in it; deleted once the window is long past. Not store-owned: the
/// caller is not signed in yet.
/// </summary>
public sealed class RateLimitCounter
{
    /// <summary>What is counted, e.g. <c>sign-in:203.0.113.7</c>.</summary>
    public required string Key { get; set; }
    /// <summary>Start of the current window in seconds since the Unix epoch (UTC).</summary>
    public long WindowStart { get; set; }
    /// <summary>Requests counted in the current window.</summary>
    public int Count { get; set; }
}
