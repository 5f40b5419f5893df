namespace AdIntel.Web.Imports;

/// <summary>How far an import has got: data rows read and the share of the file's bytes consumed.</summary>
public readonly record struct ImportProgress(int RowsRead, int Percent);

/// <summary>
/// Receives progress while a file is read. Importers call it between database writes (never inside a
/// transaction), so an implementation may write to the database and be seen at once by someone polling.
/// </summary>
public interface IImportProgress
{
    ValueTask ReportAsync(ImportProgress progress, CancellationToken cancellationToken);
}

/// <summary>For callers that do not follow progress.</summary>
public sealed class NoImportProgress : IImportProgress
{
    public static readonly NoImportProgress Instance = new();

    public ValueTask ReportAsync(ImportProgress progress, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
