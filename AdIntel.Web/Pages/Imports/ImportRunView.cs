using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Imports;

namespace AdIntel.Web.Pages.Imports;

/// <summary>An import run as the page shows it: its state, counts, and the line errors of its stored result.</summary>
public sealed class ImportRunView
{
    private static readonly (string Key, string Label)[] CountLabels =
    [
        ("rowsRead", "Rows read"),
        ("ordersCreated", "Orders created"),
        ("ordersUpdated", "Orders updated"),
        ("ordersUnchanged", "Orders unchanged"),
        ("customersCreated", "Customers created"),
        ("refunds", "Refunds created or changed"),
        ("daysImported", "Days"),
        ("campaignsCreated", "Campaigns created"),
        ("adSetsCreated", "Ad sets created"),
        ("adsCreated", "Ads created"),
        ("insightsCreated", "Ad days created"),
        ("insightsUpdated", "Ad days updated"),
        ("insightsUnchanged", "Ad days unchanged"),
        ("costsAdded", "Costs entered"),
        ("costsUnchanged", "Costs unchanged"),
        ("skipped", "Rows not imported (with their order or ad day)"),
    ];

    public long Id { get; private init; }
    public required string Kind { get; init; }
    public string KindName => ImportKinds.DisplayName(Kind);
    public required string FileName { get; init; }
    public long FileBytes { get; private init; }
    public required string Status { get; init; }
    public int RowsRead { get; private init; }
    public int ProgressPercent { get; private init; }
    public DateTime StartedAtUtc { get; private init; }
    public DateTime? FinishedAtUtc { get; private init; }
    public bool IsFinished => RunStatuses.IsFinished(Status);
    /// <summary>Cut off by a stop of the app: what it wrote is kept, and importing the file again completes it.</summary>
    public bool IsInterrupted => Status == RunStatuses.Interrupted;
    public string? ErrorMessage { get; private set; }
    public IReadOnlyList<(string Label, int Value)> Counts { get; private set; } = [];
    public IReadOnlyList<ImportMessage> Errors { get; private set; } = [];
    public int ErrorsOmitted { get; private set; }
    public IReadOnlyList<ImportMessage> Warnings { get; private set; } = [];
    public int WarningsOmitted { get; private set; }

    public int ErrorCount => Errors.Count + ErrorsOmitted;

    /// <summary>One line for the history table.</summary>
    public string Summary => Status switch
    {
        RunStatuses.Queued => "Waiting to start",
        RunStatuses.Running => $"{Plural(RowsRead, "row")} read ({ProgressPercent}%)",
        RunStatuses.Failed or RunStatuses.Cancelled => ErrorMessage ?? "Not imported",
        RunStatuses.Interrupted => "Interrupted — import the file again to complete it",
        _ => ImportedSummary(),
    };

    private Dictionary<string, int> _values = [];

    private string ImportedSummary()
    {
        var parts = Kind switch
        {
            ImportKinds.ShopifyOrders => Changes(Value("ordersCreated"), Value("ordersUpdated"), Value("ordersUnchanged"), "order"),
            ImportKinds.ProductCosts => [Plural(Value("costsAdded"), "cost") + " entered", $"{Value("costsUnchanged"):N0} unchanged"],
            _ => Changes(Value("insightsCreated"), Value("insightsUpdated"), Value("insightsUnchanged"), "ad day"),
        };
        if (ErrorCount > 0)
        {
            parts.Add(Plural(ErrorCount, "line") + " with errors");
        }
        return string.Join(" · ", parts);
    }

    private int Value(string key) => _values.GetValueOrDefault(key);

    private static List<string> Changes(int created, int updated, int unchanged, string noun) =>
        [Plural(created, "new " + noun), $"{updated:N0} updated", $"{unchanged:N0} unchanged"];

    private static string Plural(int count, string noun) => $"{count:N0} {noun}{(count == 1 ? "" : "s")}";

    public static ImportRunView From(ImportRun run)
    {
        var view = new ImportRunView
        {
            Id = run.Id,
            Kind = run.Kind,
            FileName = run.FileName,
            FileBytes = run.FileBytes,
            Status = run.Status,
            RowsRead = run.RowsRead,
            ProgressPercent = run.ProgressPercent,
            StartedAtUtc = run.StartedAtUtc,
            FinishedAtUtc = run.FinishedAtUtc,
        };
        view.ReadResult(run.ResultJson);
        return view;
    }

    private void ReadResult(string json)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        var result = document.RootElement;
        if (result.TryGetProperty("error", out var error))
        {
            ErrorMessage = error.TryGetProperty("message", out var message) ? message.GetString() : "Not imported.";
            if (!error.TryGetProperty("details", out result) || result.ValueKind != JsonValueKind.Object)
            {
                return;
            }
        }
        _values = result.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
        Counts = CountLabels.Where(c => _values.ContainsKey(c.Key)).Select(c => (c.Label, _values[c.Key])).ToList();
        (Errors, ErrorsOmitted) = ReadMessages(result, "errors", "errorsOmitted");
        (Warnings, WarningsOmitted) = ReadMessages(result, "warnings", "warningsOmitted");
    }

    private static (IReadOnlyList<ImportMessage>, int) ReadMessages(JsonElement result, string listKey, string omittedKey)
    {
        var messages = result.TryGetProperty(listKey, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(m => new ImportMessage(m.GetProperty("line").GetInt32(), m.GetProperty("message").GetString() ?? "")).ToList()
            : [];
        var omitted = result.TryGetProperty(omittedKey, out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt32() : 0;
        return (messages, omitted);
    }
}

/// <summary>The progress partial's model; <see cref="History"/> is set when a finished run should refresh the history table too.</summary>
public sealed record ImportProgressModel(ImportRunView Run, IReadOnlyList<ImportRunView>? History, TimeZoneInfo TimeZone);

/// <summary>The history table's model.</summary>
public sealed record ImportHistoryModel(IReadOnlyList<ImportRunView> Runs, TimeZoneInfo TimeZone);

/// <summary>A run's errors or warnings for the messages table.</summary>
public sealed record ImportMessagesModel(IReadOnlyList<ImportMessage> Messages, int Omitted, bool AreErrors);
