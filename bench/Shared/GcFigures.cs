// The GC's share of a benchmark's window (bench/README.md), shared by the benchmarks that host the app in-process.
/// <summary>The GC's collections by generation and its total pause time, to tell its share of a run.</summary>
internal readonly record struct GcFigures(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long AllocatedBytes)
{
    public static GcFigures Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

    public static GcFigures operator -(GcFigures end, GcFigures start) =>
        new(end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2, end.Paused - start.Paused, end.AllocatedBytes - start.AllocatedBytes);

    public override string ToString() =>
        $"{Gen0:N0} (gen1 {Gen1:N0}, gen2 {Gen2:N0}), paused {Paused.TotalSeconds:F2} s, {AllocatedBytes / 1024.0 / 1024.0:N0} MiB allocated";
}
