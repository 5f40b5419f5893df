using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Infrastructure.Options;

public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed the demo store into an empty database at start.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seed of the generator: the same seed always gives the same store.</summary>
    public int Seed { get; set; } = 20241;

    /// <summary>Months of history to generate, ending yesterday.</summary>
    [Range(1, 36)]
    public int Months { get; set; } = 18;

    /// <summary>Orders to generate over the whole history (roughly).</summary>
    [Range(100, 1_000_000)]
    public int Orders { get; set; } = 50_000;

    /// <summary>Plant anomalies of known dates in the last eight weeks (to measure anomaly detection; docs/alerts.md).</summary>
    public bool InjectAnomalies { get; set; }
}
