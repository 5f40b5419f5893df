using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class WebhookReceiptConfiguration : IEntityTypeConfiguration<WebhookReceipt>
{
    public void Configure(EntityTypeBuilder<WebhookReceipt> builder)
    {
        builder.HasIndex(x => x.DeliveryKey).IsUnique();
        builder.HasIndex(x => new { x.ShopDomain, x.ReceivedAtUtc });
        builder.Property(x => x.DeliveryKey).HasMaxLength(100);
        builder.Property(x => x.WebhookId).HasMaxLength(100);
        builder.Property(x => x.Topic).HasMaxLength(64);
        builder.Property(x => x.ShopDomain).HasMaxLength(255);
        builder.Property(x => x.Status).HasMaxLength(16);
        builder.Property(x => x.Error).HasMaxLength(1000);
    }
}
