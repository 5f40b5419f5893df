using System.Text.Json;

namespace AdIntel.Web.Reports.Benchmarks;

public sealed record BenchmarkVertical(string Key, string Label);

/// <summary>
/// A published figure: <see cref="Low"/>–<see cref="High"/> (equal for a single value) in <see cref="Unit"/>
/// (percent and multiples as fractions, usd, months), whether higher or lower is better, the verticals it applies to
/// ("*" = every one) and the source it was read from.
/// </summary>
public sealed record Benchmark(string Metric, string Label, string Unit, decimal Low, decimal High, string Direction, IReadOnlyList<string> Verticals,
    string Source, string Url)
{
    public bool HigherIsBetter => Direction == "higher";

    public bool AppliesTo(string vertical) => vertical == BenchmarkCatalog.AllVerticals || Verticals.Contains("*") || Verticals.Contains(vertical);
}

/// <summary>The curated benchmark file shipped with the app (<c>Reports/Benchmarks/benchmarks.json</c>, embedded).</summary>
public sealed class BenchmarkCatalog
{
    public const string AllVerticals = "all";

    private static readonly Lazy<BenchmarkCatalog> Shared = new(Load);

    private BenchmarkCatalog(string about, IReadOnlyList<BenchmarkVertical> verticals, IReadOnlyList<Benchmark> benchmarks)
    {
        About = about;
        Verticals = verticals;
        Benchmarks = benchmarks;
    }

    public static BenchmarkCatalog Default => Shared.Value;

    public string About { get; }
    public IReadOnlyList<BenchmarkVertical> Verticals { get; }
    public IReadOnlyList<Benchmark> Benchmarks { get; }

    public bool IsVertical(string key) => Verticals.Any(v => v.Key == key);

    private static BenchmarkCatalog Load()
    {
        using var stream = typeof(BenchmarkCatalog).Assembly.GetManifestResourceStream("AdIntel.Web.Reports.Benchmarks.benchmarks.json")
            ?? throw new InvalidOperationException("The embedded benchmark file is missing from the build.");
        var file = JsonSerializer.Deserialize<BenchmarkFile>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("The embedded benchmark file is empty.");
        return new BenchmarkCatalog(file.About, file.Verticals, file.Benchmarks);
    }

    private sealed record BenchmarkFile(string About, List<BenchmarkVertical> Verticals, List<Benchmark> Benchmarks);
}
