using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

/// <summary>No foreign keys: see <see cref="AdIntelDbContext.IsBulkLoaded"/>.</summary>
public sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> builder)
    {
        // An order's lines (rewrites, privacy exports) and a store's (the ledger, the store's deletion).
        builder.HasIndex(x => x.OrderId);
        builder.HasIndex(x => x.StoreId);
    }
}
