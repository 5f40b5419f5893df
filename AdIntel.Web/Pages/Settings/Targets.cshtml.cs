using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Settings;

/// <summary>The store's targets: what the overview's KPI cards are judged against and the recommendation engine uses.</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class TargetsModel(StoreTargetSettings targets, MetricsService metrics, StoreClock clock) : PageModel
{
    [BindProperty]
    public TargetsInput Input { get; set; } = new();

    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();
    public StoreTargetsNow Current { get; private set; } = null!;
    public MetricFormatter Format { get; private set; } = null!;
    public bool Saved { get; private set; }
    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Input = TargetsInput.From(Current.Targets);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        // Text that is no number was not bound at all: saving the default in its place would be a silent change.
        Problems = ModelState.IsValid ? await targets.SaveAsync(Input.ToTargets(), cancellationToken) : BindingProblems();
        Saved = Problems.Count == 0;
        await LoadAsync(cancellationToken);
        if (Saved)
        {
            Input = TargetsInput.From(Current.Targets);
        }
        return Page();
    }

    public string? Problem(string field) => Problems.GetValueOrDefault(field);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Current = await metrics.GetTargetsAsync(cancellationToken);
        Format = new MetricFormatter((await clock.GetCalendarAsync(cancellationToken)).Currency);
    }

    /// <summary>Model-binding errors keyed like the targets' problems: <c>Input.Mer</c> → <c>mer</c>.</summary>
    private Dictionary<string, string> BindingProblems() => ModelState
        .Where(e => e.Value is { Errors.Count: > 0 })
        .ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key[(e.Key.LastIndexOf('.') + 1)..]), e => e.Value!.Errors[0].ErrorMessage);

    /// <summary>The form: an empty field means the default (break-even for the target CPA).</summary>
    public sealed class TargetsInput
    {
        public decimal? Mer { get; set; }
        public decimal? Roas { get; set; }
        public decimal? LtvToCac { get; set; }
        public int? PaybackDays { get; set; }
        public decimal? Poas { get; set; }
        public decimal? Cpa { get; set; }

        public static TargetsInput From(StoreTargets t) => new()
        {
            Mer = t.Mer, Roas = t.Roas, LtvToCac = t.LtvToCac, PaybackDays = t.PaybackDays, Poas = t.Poas, Cpa = t.Cpa,
        };

        public StoreTargets ToTargets() => new(Mer, Roas, LtvToCac, PaybackDays, Poas, Cpa);
    }
}
