using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class AdInsightDailyConfiguration : IEntityTypeConfiguration<AdInsightDaily>
{
    public void Configure(EntityTypeBuilder<AdInsightDaily> builder)
    {
        builder.HasIndex(x => new { x.AdId, x.Date }).IsUnique();
        // Covers the rule snapshot's read of a store's whole delivery: SQLite walks it without visiting the table, whose
        // rows of one store and day are scattered (a run of 900k rows: 0.24 s of CPU instead of 2 s).
        builder.HasIndex(x => new { x.StoreId, x.Date, x.AdId, x.Spend, x.Impressions, x.Reach, x.LinkClicks, x.Purchases, x.PurchaseValue })
            .HasDatabaseName("IX_AdInsights_StoreId_Date_Delivery");
        builder.HasOne<Ad>().WithMany().HasForeignKey(x => x.AdId);
    }
}
