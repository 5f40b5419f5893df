using System.ComponentModel.DataAnnotations;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Settings;

/// <summary>Cost assumptions the profit metrics use: payment fees, shipping costs, other marketing; and whether AI writes the recommendations.</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IndexModel(AdIntelDbContext db, IAuditLog audit, TimeProvider time, LlmChatClients llm, LlmUsageLedger llmUsage) : PageModel
{
    [BindProperty]
    public CostSettingsInput Input { get; set; } = new();

    public string Currency { get; private set; } = "USD";
    public bool Saved { get; private set; }
    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;

    /// <summary>The configured LLM (null: none) and this store's tokens this month.</summary>
    public AiStatus? Ai { get; private set; }

    public sealed record AiStatus(string Provider, string Model, LlmMonthUsage Usage);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var settings = await db.GetOrCreateStoreSettingsAsync(time, cancellationToken);
        Input = CostSettingsInput.From(settings);
        Currency = await db.Stores.Where(s => s.Id == db.CurrentStoreId).Select(s => s.Currency).SingleAsync(cancellationToken);
        if (llm.IsConfigured)
        {
            Ai = new AiStatus(llm.Options.ProviderLabel, llm.Options.Model!, await llmUsage.GetThisMonthAsync(cancellationToken));
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        Currency = await db.Stores.Where(s => s.Id == db.CurrentStoreId).Select(s => s.Currency).SingleAsync(cancellationToken);
        if (ModelState.IsValid)
        {
            var settings = await db.GetOrCreateStoreSettingsAsync(time, cancellationToken);
            var before = StoreCostSettings.Snapshot(settings);
            Input.ApplyTo(settings);
            settings.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
            if (StoreCostSettings.DescribeChange(settings, before) is { } change)
            {
                audit.Record(change);
            }
            await db.SaveChangesAsync(cancellationToken);
            Saved = true;
        }
        return this.PageOrPartial("_CostSettingsForm", this);
    }

    /// <summary>Ranges are decimal, like the values: with int bounds a huge entry overflowed the conversion (a 500, not a message).</summary>
    public sealed class CostSettingsInput
    {
        [Display(Name = "Payment fee (% of order total)")]
        [Range(typeof(decimal), "0", "20", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "Enter a percentage between 0 and 20.")]
        public decimal PaymentFeePercent { get; set; }

        [Display(Name = "Payment fee per order")]
        [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "Enter an amount between 0 and 100.")]
        public decimal PaymentFeeFixed { get; set; }

        [Display(Name = "Shipping cost per order")]
        [Range(typeof(decimal), "0", "1000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "Enter an amount between 0 and 1,000.")]
        public decimal ShippingCostPerOrder { get; set; }

        [Display(Name = "Other marketing costs per month")]
        [Range(typeof(decimal), "0", "100000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "Enter an amount between 0 and 100,000,000.")]
        public decimal OtherMarketingCostPerMonth { get; set; }

        public static CostSettingsInput From(StoreSettings s) => new()
        {
            PaymentFeePercent = s.PaymentFeePercent,
            PaymentFeeFixed = s.PaymentFeeFixed,
            ShippingCostPerOrder = s.ShippingCostPerOrder,
            OtherMarketingCostPerMonth = s.OtherMarketingCostPerMonth,
        };

        public void ApplyTo(StoreSettings s)
        {
            s.PaymentFeePercent = PaymentFeePercent;
            s.PaymentFeeFixed = PaymentFeeFixed;
            s.ShippingCostPerOrder = ShippingCostPerOrder;
            s.OtherMarketingCostPerMonth = OtherMarketingCostPerMonth;
        }
    }
}
