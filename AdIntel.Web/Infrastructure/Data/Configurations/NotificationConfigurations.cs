using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class NotificationChannelConfiguration : IEntityTypeConfiguration<NotificationChannel>
{
    public void Configure(EntityTypeBuilder<NotificationChannel> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.Kind }).IsUnique();
        builder.Property(x => x.Kind).HasMaxLength(16);
        builder.Property(x => x.MinimumSeverity).HasMaxLength(16);
        builder.Property(x => x.EncryptedWebhookUrl).HasMaxLength(2000);
        builder.Property(x => x.WebhookHint).HasMaxLength(100);
        builder.Property(x => x.Recipients).HasMaxLength(2000);
        builder.Property(x => x.DisabledReason).HasMaxLength(500);
    }
}

public sealed class NotificationPreferencesConfiguration : IEntityTypeConfiguration<NotificationPreferences>
{
    public void Configure(EntityTypeBuilder<NotificationPreferences> builder)
    {
        builder.HasIndex(x => x.StoreId).IsUnique();
    }
}

public sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.Id });
        // The sweep looks for pending deliveries that are due, across stores.
        builder.HasIndex(x => new { x.Status, x.NextAttemptAtUtc });
        // An alert goes to a channel once, however often the listener hears of it.
        builder.HasIndex(x => new { x.AlertId, x.ChannelId, x.Kind });
        builder.Property(x => x.ChannelKind).HasMaxLength(16);
        builder.Property(x => x.Kind).HasMaxLength(16);
        builder.Property(x => x.Status).HasMaxLength(16);
        builder.Property(x => x.LastError).HasMaxLength(1000);
    }
}
