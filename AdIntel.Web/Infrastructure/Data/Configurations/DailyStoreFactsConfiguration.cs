using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class DailyStoreFactsConfiguration : IEntityTypeConfiguration<DailyStoreFacts>
{
    public void Configure(EntityTypeBuilder<DailyStoreFacts> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.Date }).IsUnique();
    }
}
