using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
        builder.HasOne<AdAccount>().WithMany().HasForeignKey(x => x.AdAccountId);
        builder.Property(x => x.Automation).HasMaxLength(32).HasDefaultValue("inherit");
    }
}
