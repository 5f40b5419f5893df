using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
        builder.HasIndex(x => new { x.StoreId, x.LocalDate });
        builder.HasIndex(x => new { x.StoreId, x.CustomerId });
        builder.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId);
        builder.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.OrderId);
        builder.HasMany(x => x.Refunds).WithOne().HasForeignKey(x => x.OrderId);
        builder.Ignore(x => x.CountsAsSale);
    }
}
