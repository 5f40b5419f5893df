using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

/// <summary>No foreign keys: see <see cref="AdIntelDbContext.IsBulkLoaded"/>.</summary>
public sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> builder)
    {
        // A store's lines (the ledger, the store's deletion) and an order's among them (rewrites, privacy exports): every
        // query names the store. One index instead of one per column: a bulk write keeps one index fewer up to date.
        builder.HasIndex(x => new { x.StoreId, x.OrderId });
    }
}
