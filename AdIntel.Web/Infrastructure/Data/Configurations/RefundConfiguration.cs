using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

/// <summary>No foreign keys: see <see cref="AdIntelDbContext.IsBulkLoaded"/>.</summary>
public sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
        builder.HasIndex(x => x.OrderId);
    }
}
