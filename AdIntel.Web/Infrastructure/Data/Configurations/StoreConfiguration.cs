using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class StoreConfiguration : IEntityTypeConfiguration<Store>
{
    public void Configure(EntityTypeBuilder<Store> builder)
    {
        builder.HasIndex(x => x.ShopDomain).IsUnique();
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.ShopDomain).HasMaxLength(255);
        builder.Property(x => x.Currency).HasMaxLength(3);
        builder.Property(x => x.TimeZone).HasMaxLength(64);
    }
}
