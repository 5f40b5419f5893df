using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class AdInsightDailyConfiguration : IEntityTypeConfiguration<AdInsightDaily>
{
    public void Configure(EntityTypeBuilder<AdInsightDaily> builder)
    {
        builder.HasIndex(x => new { x.AdId, x.Date }).IsUnique();
        builder.HasIndex(x => new { x.StoreId, x.Date });
        builder.HasOne<Ad>().WithMany().HasForeignKey(x => x.AdId);
    }
}
