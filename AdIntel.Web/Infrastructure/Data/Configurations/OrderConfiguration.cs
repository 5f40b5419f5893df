using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

/// <summary>No foreign keys: see <see cref="AdIntelDbContext.IsBulkLoaded"/>.</summary>
public sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
        builder.HasIndex(x => new { x.StoreId, x.LocalDate });
        builder.HasIndex(x => new { x.StoreId, x.CustomerId });
        // Carried by the writer and the readers that fill them; not a mapped relationship.
        builder.Ignore(x => x.Lines);
        builder.Ignore(x => x.Refunds);
        builder.Ignore(x => x.CountsAsSale);
    }
}
