using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;

namespace AdIntel.Web.Pages.Settings;

public static class StoreCostSettings
{
    public static SettingsEndpoints.CostSettingsDto Snapshot(StoreSettings s) =>
        new(s.PaymentFeePercent, s.PaymentFeeFixed, s.ShippingCostPerOrder, s.OtherMarketingCostPerMonth);

    /// <summary>The audit entry for a change of cost settings, naming each changed value; null when nothing changed.</summary>
    public static AuditChange? DescribeChange(StoreSettings settings, SettingsEndpoints.CostSettingsDto before)
    {
        var after = Snapshot(settings);
        var changes = new List<string>();
        void Compare(string label, decimal old, decimal now)
        {
            if (old != now)
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"{label} {old:0.####} → {now:0.####}"));
            }
        }
        Compare("payment fee %", before.PaymentFeePercent, after.PaymentFeePercent);
        Compare("payment fee per order", before.PaymentFeeFixed, after.PaymentFeeFixed);
        Compare("shipping cost per order", before.ShippingCostPerOrder, after.ShippingCostPerOrder);
        Compare("other marketing per month", before.OtherMarketingCostPerMonth, after.OtherMarketingCostPerMonth);
        return changes.Count == 0
            ? null
            : new AuditChange("settings.costs_updated", "settings", settings.Id.ToString(CultureInfo.InvariantCulture),
                "Changed cost settings: " + string.Join("; ", changes) + ".", before, after);
    }
}
