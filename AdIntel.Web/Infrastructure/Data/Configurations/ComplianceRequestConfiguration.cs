using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class ComplianceRequestConfiguration : IEntityTypeConfiguration<ComplianceRequest>
{
    public void Configure(EntityTypeBuilder<ComplianceRequest> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.ReceivedAtUtc });
        builder.Property(x => x.Topic).HasMaxLength(64);
        builder.Property(x => x.CustomerExternalId).HasMaxLength(64);
        builder.Property(x => x.CustomerEmail).HasMaxLength(256);
        builder.Property(x => x.ShopifyRequestId).HasMaxLength(64);
    }
}
