using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class IntegrationConnectionConfiguration : IEntityTypeConfiguration<IntegrationConnection>
{
    public void Configure(EntityTypeBuilder<IntegrationConnection> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.Provider }).IsUnique();
        builder.Property(x => x.Provider).HasMaxLength(16);
        builder.Property(x => x.Status).HasMaxLength(16);
        builder.Property(x => x.ExternalAccountId).HasMaxLength(255);
        builder.Property(x => x.DisplayName).HasMaxLength(200);
        builder.Property(x => x.Scopes).HasMaxLength(1000);
        builder.Property(x => x.LastError).HasMaxLength(2000);
    }
}
