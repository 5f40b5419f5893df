namespace AdIntel.Web.Domain;

/// <summary>
/// A store's stored predicted-LTV fit (BG/NBD + Gamma-Gamma, <c>Reports/Ltv</c>): the last forecast that succeeded, the
/// data it was fitted on, and the state of the fit running or queued to replace it. One per store; written by
/// <c>Reports/Ltv/LtvFits</c> only.
/// </summary>
public sealed class LtvFit : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>One of <see cref="LtvFitStates"/>: the latest attempt's state.</summary>
    public string State { get; set; } = LtvFitStates.Queued;
    /// <summary>What a running fit is doing, in words ("Fitting how often customers buy").</summary>
    public string? Stage { get; set; }
    /// <summary>Why the latest attempt failed, in words (too few repeat customers, an error).</summary>
    public string? Error { get; set; }
    /// <summary>The data and day the latest attempt was (or is being) made for (<c>version@yyyy-MM-dd</c>): one that failed is not tried again on its own.</summary>
    public string? AttemptVersion { get; set; }
    public DateTime RequestedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    /// <summary>Last sign of life of a running fit (each stage); one silent for Jobs:StaleAfter is asked for again.</summary>
    public DateTime? HeartbeatAtUtc { get; set; }
    /// <summary>The last successful forecast (figures, parameters, top customers) as JSON; kept while a newer fit runs.</summary>
    public string? ForecastJson { get; set; }
    /// <summary>The daily facts' fingerprint the forecast was fitted on: another one means the data changed since.</summary>
    public string? DataVersion { get; set; }
    /// <summary>The forecast's calibration end (the store's day it was fitted on).</summary>
    public DateOnly? CalibrationEnd { get; set; }
    public DateTime? FittedAtUtc { get; set; }
    /// <summary>How long the last successful fit took (reading orders, fitting, forecasting).</summary>
    public int? FitMilliseconds { get; set; }
}

/// <summary>The states of a stored LTV fit's latest attempt.</summary>
public static class LtvFitStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
