using System.Text;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Ingestion;

namespace AdIntel.Web.Imports;

/// <summary>What a costs import did.</summary>
public sealed class ProductCostsImportResult : ImportResult
{
    /// <summary>New cost entries (a changed cost, or a cost for a new date).</summary>
    public int CostsAdded { get; set; }
    /// <summary>Rows whose cost was already in force as given.</summary>
    public int CostsUnchanged { get; set; }

    public override bool ChangedData => CostsAdded > 0;
}

/// <summary>
/// Imports unit costs: one row per item with a "SKU" or a "Variant ID" column (the variant id wins when both are
/// filled), a "Cost" and an optional "Valid from" date (yyyy-MM-dd). Without a date a cost applies from today on and to
/// earlier orders that had no cost; with one, to orders from that day on. A bad row is reported with its line number and
/// the others are kept; the costs are written through <see cref="ProductCostWriter"/> (source "CSV"), so importing the
/// same file again changes nothing.
/// </summary>
public sealed class ProductCostsCsvImporter(AdIntelDbContext db, ProductCostWriter writer, ILogger<ProductCostsCsvImporter> logger)
{
    private const int ProgressEveryRows = 2000;

    public async Task<ProductCostsImportResult> ImportAsync(Stream csv, long totalBytes, string fileName, IImportProgress progress,
        CancellationToken cancellationToken)
    {
        using var file = CsvImportFile.Open(csv, totalBytes, fileName, out var encodingWarning);
        var errors = new ImportMessageList();
        var warnings = new ImportMessageList();
        if (encodingWarning is not null)
        {
            warnings.Add(1, encodingWarning);
        }
        var sku = file.Find("SKU", "Variant SKU", "Lineitem sku");
        var variantId = file.Find("Variant ID", "Variant id", "variant_id");
        var cost = file.Find("Cost", "Unit cost", "Cost per item");
        var validFrom = file.Find("Valid from", "Valid_from", "Valid from date");
        if ((sku < 0 && variantId < 0) || cost < 0)
        {
            var missing = new List<string>();
            if (sku < 0 && variantId < 0) missing.Add("“SKU” (or “Variant ID”)");
            if (cost < 0) missing.Add("“Cost”");
            throw new ImportProblemException(422, "missing_columns",
                $"This is not a costs file: the column{(missing.Count == 1 ? "" : "s")} {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} missing. Use the columns SKU (or Variant ID), Cost and, optionally, Valid from (yyyy-MM-dd).");
        }

        var items = await CostItemIndex.LoadAsync(db, cancellationToken);
        var costs = new List<IncomingCost>();
        var skipped = 0;
        while (file.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ReadRow(file, items, sku, variantId, cost, validFrom, errors) is { } row)
            {
                costs.Add(row);
            }
            else
            {
                skipped++;
            }
            if (file.RowsRead % ProgressEveryRows == 0)
            {
                await progress.ReportAsync(new ImportProgress(file.RowsRead, file.Percent), cancellationToken);
            }
        }
        if (file.StoppedEarly is { } stopped)
        {
            errors.Add(stopped.Line, stopped.Message);
        }

        var result = new ProductCostsImportResult { RowsRead = file.RowsRead, Skipped = skipped };
        if (costs.Count > 0)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var written = await writer.WriteAsync(costs, ProductCostSources.Csv, null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            result.CostsAdded = written.Added;
            result.CostsUnchanged = written.Unchanged;
        }
        await progress.ReportAsync(new ImportProgress(file.RowsRead, 100), cancellationToken);
        result.SetMessages(errors, warnings);
        logger.LogInformation("Costs import: {Rows} rows, {Added} costs added, {Unchanged} unchanged, {Skipped} rows skipped",
            result.RowsRead, result.CostsAdded, result.CostsUnchanged, result.Skipped);
        return result;
    }

    private static IncomingCost? ReadRow(CsvImportFile file, CostItemIndex items, int skuColumn, int variantColumn, int costColumn, int validFromColumn,
        ImportMessageList errors)
    {
        if (file.RecordProblem is { } broken)
        {
            errors.Add(file.Line, broken);
            return null;
        }
        var problems = new List<string>();
        var (item, itemProblem) = items.Find(file.Get(variantColumn), file.Get(skuColumn));
        if (itemProblem is not null)
        {
            problems.Add(itemProblem);
        }
        decimal unitCost = 0;
        if (file.IsEmpty(costColumn))
        {
            problems.Add("Cost is empty.");
        }
        else if (!CsvValues.TryParseAmount(Encoding.UTF8.GetBytes(file.Get(costColumn)), "Cost", out unitCost, out var costProblem))
        {
            problems.Add(costProblem!);
        }
        else if (unitCost is < 0 or > ProductCostWriter.MaxUnitCost)
        {
            problems.Add($"Cost {unitCost} is not between 0 and 1,000,000.");
        }
        DateOnly? from = null;
        if (!file.IsEmpty(validFromColumn))
        {
            if (CsvValues.TryParseDay(file.Get(validFromColumn), "Valid from", out var day, out var dayProblem))
            {
                from = day;
            }
            else
            {
                problems.Add(dayProblem!);
            }
        }
        if (problems.Count > 0)
        {
            errors.Add(file.Line, string.Join(" ", problems));
            return null;
        }
        return new IncomingCost(item!.Value, unitCost, from);
    }
}
