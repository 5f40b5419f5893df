using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Costs;

/// <summary>
/// Product costs: every variant (and SKU only orders carry) with its cost, where the cost came from and its units sold
/// in the period; marketers and owners enter a cost in place. One GET handler renders the page, the list (htmx: period
/// and search) or one row in edit mode (htmx: "Edit"); the POST answers htmx with the list, a plain form with a redirect.
/// Accountants and owners read it too; viewers do not see costs.
/// </summary>
[Authorize(Policy = Policies.Accountant)]
public sealed class IndexModel(CostCatalogue catalogue, StoreClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Preset { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    public CostList List { get; private set; } = null!;
    public DateRangeSelection Selection { get; private set; } = null!;
    public DateRangeError? RangeError { get; private set; }
    public MetricFormatter Format { get; private set; } = null!;
    /// <summary>The item whose row shows the edit form.</summary>
    public string? Editing { get; private set; }
    public IReadOnlyList<CostHistoryEntry> EditingHistory { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();
    /// <summary>What the last save did, in words.</summary>
    public string? Message { get; private set; }

    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;

    public async Task<IActionResult> OnGetAsync(string? edit, CancellationToken cancellationToken)
    {
        await LoadAsync(CanEdit ? edit : null, cancellationToken);
        if (Editing is not null && List.Rows.FirstOrDefault(r => r.Key == Editing) is { } row)
        {
            return this.PartialOr("_CostRow", new CostRowView(row, this), Page());
        }
        return this.PageOrPartial("_CostList", this);
    }

    public async Task<IActionResult> OnPostAsync(string? item, string? unitCost, string? validFrom, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var key = CostItemKeys.Parse(item);
        var problems = new Dictionary<string, string>();
        decimal? cost = decimal.TryParse(unitCost, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        if (cost is null)
        {
            problems["unitCost"] = "Enter a unit cost such as 12.50.";
        }
        DateOnly? from = null;
        if (!string.IsNullOrWhiteSpace(validFrom))
        {
            if (DateOnly.TryParseExact(validFrom.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                from = day;
            }
            else
            {
                problems["validFrom"] = "Enter a date like 2025-01-31, or leave it empty.";
            }
        }
        var period = await SelectPeriodAsync(cancellationToken);
        if (key is null)
        {
            return NotFound();
        }
        if (problems.Count == 0)
        {
            var change = await catalogue.SetAsync(key.Value, cost, from, period, User.GetActor(), cancellationToken);
            if (change.Problems.ContainsKey("item"))
            {
                return NotFound();
            }
            problems = change.Problems.ToDictionary();
            if (problems.Count == 0 && !Request.IsHtmxFragmentRequest())
            {
                return RedirectToPage(new { from = From, to = To, preset = Preset, q = Search });
            }
            if (problems.Count == 0 && change.Row is { } saved)
            {
                Message = $"Saved: {saved.Product}{(saved.Variant is null ? "" : " – " + saved.Variant)} costs {Format.Money(saved.Cost!.UnitCost)}"
                    + (from is { } day ? $" from {day:yyyy-MM-dd}." : " from today, and for earlier orders that had no cost.");
            }
        }
        Problems = problems;
        await LoadAsync(problems.Count > 0 ? item : null, cancellationToken);
        if (problems.Count > 0 && !Request.IsHtmxFragmentRequest())
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return this.PageOrPartial("_CostList", this);
    }

    /// <summary>This page's address with the current period and search, and <paramref name="edit"/> when given.</summary>
    public string Link(string? edit = null, string? preset = null)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        if (preset is not null)
        {
            Add("preset", preset);
        }
        else if (Selection.Preset == DatePreset.Custom)
        {
            Add("from", OverviewDate(Selection.Range.From));
            Add("to", OverviewDate(Selection.Range.To));
        }
        else
        {
            Add("preset", Selection.Preset);
        }
        Add("q", Search);
        Add("edit", edit);
        return "/costs" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    public static string OverviewDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<DateRange> SelectPeriodAsync(CancellationToken cancellationToken)
    {
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        Format = new MetricFormatter(calendar.Currency);
        DateRangeQuery.TryParse(From, To, Preset, await clock.GetTodayAsync(cancellationToken), out var selection, out var error);
        // A refused range shows its message over the default period.
        Selection = selection;
        RangeError = error;
        return selection.Range;
    }

    private async Task LoadAsync(string? edit, CancellationToken cancellationToken)
    {
        var period = await SelectPeriodAsync(cancellationToken);
        List = await catalogue.ListAsync(period, Search, cancellationToken);
        if (edit is not null && CostItemKeys.Parse(edit) is { } item && List.Rows.Any(r => r.Item == item))
        {
            Editing = CostItemKeys.Format(item);
            EditingHistory = await catalogue.HistoryAsync(item, cancellationToken);
        }
    }
}

/// <summary>One row of the list with the page it is shown on (edit mode, problems, format).</summary>
public sealed record CostRowView(CostRow Row, IndexModel Page)
{
    public bool IsEditing => Page.Editing == Row.Key;
}
