using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class AdConfiguration : IEntityTypeConfiguration<Ad>
{
    public void Configure(EntityTypeBuilder<Ad> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
        builder.HasIndex(x => x.CampaignId);
        builder.HasOne<AdSet>().WithMany().HasForeignKey(x => x.AdSetId);
    }
}
