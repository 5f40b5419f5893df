using System.Linq.Expressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// The one EF Core model. Provider-specific subclasses (<see cref="SqliteAdIntelDbContext"/>,
/// <see cref="PostgresAdIntelDbContext"/>) exist only so each provider keeps its own migrations.
/// Every <see cref="IStoreOwned"/> entity gets a global query filter on the current store.
/// Local accounts (ASP.NET Core Identity users, without Identity's roles: a role belongs to a store membership) and
/// the Data Protection key ring (shared by every instance, so cookies and reset links survive restarts) are global.
/// </summary>
public abstract class AdIntelDbContext(DbContextOptions options, StoreContext storeContext)
    : IdentityUserContext<AppUser, long>(options), IDataProtectionKeyContext
{
    /// <summary>Read by the query filters on every query; -1 (no store) matches nothing.</summary>
    public long CurrentStoreId => storeContext.StoreId ?? -1;

    public StoreContext StoreContext => storeContext;

    public DbSet<Store> Stores => Set<Store>();
    public DbSet<StoreMember> StoreMembers => Set<StoreMember>();
    public DbSet<StoreInvitation> StoreInvitations => Set<StoreInvitation>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<StoreSettings> StoreSettings => Set<StoreSettings>();
    public DbSet<AdAccount> AdAccounts => Set<AdAccount>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<AdSet> AdSets => Set<AdSet>();
    public DbSet<Ad> Ads => Set<Ad>();
    public DbSet<AdInsightDaily> AdInsights => Set<AdInsightDaily>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<ProductVariant> ProductVariants => Set<ProductVariant>();
    public DbSet<Rule> Rules => Set<Rule>();
    public DbSet<RuleExecution> RuleExecutions => Set<RuleExecution>();
    public DbSet<ActionRecord> ActionRecords => Set<ActionRecord>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<DailyStoreFacts> DailyFacts => Set<DailyStoreFacts>();
    public DbSet<PendingFactsChange> PendingFactsChanges => Set<PendingFactsChange>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<ScheduledReport> ScheduledReports => Set<ScheduledReport>();
    public DbSet<IntegrationConnection> IntegrationConnections => Set<IntegrationConnection>();
    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();
    public DbSet<WebhookReceipt> WebhookReceipts => Set<WebhookReceipt>();
    public DbSet<ComplianceRequest> ComplianceRequests => Set<ComplianceRequest>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Money and ratios: 4 decimals is enough for unit costs and frequencies; PostgreSQL gets numeric(18,4).
        configurationBuilder.Properties<decimal>().HavePrecision(18, 4);
        // Instants are UTC everywhere; SQLite forgets the kind, PostgreSQL refuses anything else.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Identity's schema follows IdentityOptions.Stores.SchemaVersion, which design-time migrations cannot see:
        // leave it at its default (version 1: password and lockout, no passkeys) so both build the same model.
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<AppUser>(e =>
        {
            e.ToTable("Users");
            e.Property(x => x.DisplayName).HasMaxLength(200);
        });
        modelBuilder.Entity<IdentityUserClaim<long>>().ToTable("UserClaims");
        modelBuilder.Entity<IdentityUserLogin<long>>().ToTable("UserLogins");
        modelBuilder.Entity<IdentityUserToken<long>>().ToTable("UserTokens");

        modelBuilder.Entity<Store>(e =>
        {
            e.HasIndex(x => x.ShopDomain).IsUnique();
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.ShopDomain).HasMaxLength(255);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.TimeZone).HasMaxLength(64);
        });
        modelBuilder.Entity<StoreMember>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.Email }).IsUnique();
            e.HasIndex(x => new { x.UserId, x.StoreId }).IsUnique();
            e.Property(x => x.Email).HasMaxLength(256);
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<StoreInvitation>(e =>
        {
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => new { x.StoreId, x.Email });
            e.Property(x => x.Email).HasMaxLength(256);
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.Property(x => x.InvitedBy).HasMaxLength(256);
        });
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.AtUtc });
            e.Property(x => x.Actor).HasMaxLength(256);
            e.Property(x => x.Action).HasMaxLength(64);
            e.Property(x => x.EntityType).HasMaxLength(64);
            e.Property(x => x.EntityId).HasMaxLength(64);
            e.Property(x => x.Summary).HasMaxLength(1000);
        });
        modelBuilder.Entity<ApiToken>().HasIndex(x => x.TokenHash).IsUnique();
        modelBuilder.Entity<StoreSettings>().HasIndex(x => x.StoreId).IsUnique();
        modelBuilder.Entity<AdAccount>().HasIndex(x => new { x.StoreId, x.Platform, x.ExternalId }).IsUnique();
        modelBuilder.Entity<Campaign>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
            e.HasOne<AdAccount>().WithMany().HasForeignKey(x => x.AdAccountId);
        });
        modelBuilder.Entity<AdSet>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
            e.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId);
        });
        modelBuilder.Entity<Ad>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
            e.HasIndex(x => x.CampaignId);
            e.HasOne<AdSet>().WithMany().HasForeignKey(x => x.AdSetId);
        });
        modelBuilder.Entity<AdInsightDaily>(e =>
        {
            e.HasIndex(x => new { x.AdId, x.Date }).IsUnique();
            e.HasIndex(x => new { x.StoreId, x.Date });
            e.HasOne<Ad>().WithMany().HasForeignKey(x => x.AdId);
        });
        modelBuilder.Entity<Customer>().HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
        modelBuilder.Entity<Order>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
            e.HasIndex(x => new { x.StoreId, x.LocalDate });
            e.HasIndex(x => new { x.StoreId, x.CustomerId });
            e.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.OrderId);
            e.HasMany(x => x.Refunds).WithOne().HasForeignKey(x => x.OrderId);
            e.Ignore(x => x.CountsAsSale);
        });
        modelBuilder.Entity<Refund>().HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
        modelBuilder.Entity<Product>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
            e.HasMany(x => x.Variants).WithOne().HasForeignKey(x => x.ProductId);
        });
        modelBuilder.Entity<ProductVariant>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.ExternalId }).IsUnique();
            e.HasIndex(x => new { x.StoreId, x.Sku });
        });
        modelBuilder.Entity<Rule>(e =>
        {
            e.HasIndex(x => x.StoreId);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.PluginId).HasMaxLength(100);
        });
        modelBuilder.Entity<RuleExecution>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.RuleId, x.StartedAtUtc });
            e.HasIndex(x => new { x.StoreId, x.RuleId, x.SlotStartUtc });
            e.Property(x => x.Trigger).HasMaxLength(16);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.Message).HasMaxLength(1000);
        });
        modelBuilder.Entity<ActionRecord>(e =>
        {
            // The idempotency key: a retried run (or two instances running the same slot) cannot insert the same action twice.
            e.HasIndex(x => new { x.StoreId, x.IdempotencyKey }).IsUnique();
            e.HasIndex(x => new { x.StoreId, x.Status, x.CreatedAtUtc });
            e.HasIndex(x => new { x.StoreId, x.EntityScope, x.EntityId, x.ExecutedAtUtc });
            e.HasIndex(x => new { x.StoreId, x.RuleId, x.CreatedAtUtc });
            e.Property(x => x.Source).HasMaxLength(16);
            e.Property(x => x.EntityScope).HasMaxLength(16);
            e.Property(x => x.Type).HasMaxLength(32);
            e.Property(x => x.RiskLevel).HasMaxLength(16);
            e.Property(x => x.Status).HasMaxLength(32);
            e.Property(x => x.Reason).HasMaxLength(2000);
            e.Property(x => x.StatusBefore).HasMaxLength(16);
            e.Property(x => x.StatusAfter).HasMaxLength(16);
            e.Property(x => x.IdempotencyKey).HasMaxLength(200);
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.Property(x => x.UndoneBy).HasMaxLength(256);
            e.HasOne<Rule>().WithMany().HasForeignKey(x => x.RuleId).OnDelete(DeleteBehavior.SetNull);
        });
        modelBuilder.Entity<Alert>().HasIndex(x => new { x.StoreId, x.Status });
        modelBuilder.Entity<DailyStoreFacts>().HasIndex(x => new { x.StoreId, x.Date }).IsUnique();
        modelBuilder.Entity<ImportRun>().HasIndex(x => new { x.StoreId, x.StartedAtUtc });
        modelBuilder.Entity<ScheduledReport>(e =>
        {
            e.HasIndex(x => x.StoreId);
            e.Property(x => x.Report).HasMaxLength(32);
            e.Property(x => x.Format).HasMaxLength(8);
            e.Property(x => x.Frequency).HasMaxLength(16);
            e.Property(x => x.Recipient).HasMaxLength(256);
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.Property(x => x.LastError).HasMaxLength(1000);
        });
        modelBuilder.Entity<IntegrationConnection>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.Provider }).IsUnique();
            e.Property(x => x.Provider).HasMaxLength(16);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.ExternalAccountId).HasMaxLength(255);
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.Scopes).HasMaxLength(1000);
            e.Property(x => x.LastError).HasMaxLength(2000);
        });
        modelBuilder.Entity<SyncRun>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.ConnectionId, x.StartedAtUtc });
            e.Property(x => x.Provider).HasMaxLength(16);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.Phase).HasMaxLength(200);
            e.Property(x => x.Error).HasMaxLength(2000);
            e.HasOne<IntegrationConnection>().WithMany().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<WebhookReceipt>(e =>
        {
            e.HasIndex(x => x.DeliveryKey).IsUnique();
            e.HasIndex(x => new { x.ShopDomain, x.ReceivedAtUtc });
            e.Property(x => x.DeliveryKey).HasMaxLength(100);
            e.Property(x => x.WebhookId).HasMaxLength(100);
            e.Property(x => x.Topic).HasMaxLength(64);
            e.Property(x => x.ShopDomain).HasMaxLength(255);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.Error).HasMaxLength(1000);
        });
        modelBuilder.Entity<ComplianceRequest>(e =>
        {
            e.HasIndex(x => new { x.StoreId, x.ReceivedAtUtc });
            e.Property(x => x.Topic).HasMaxLength(64);
            e.Property(x => x.CustomerExternalId).HasMaxLength(64);
            e.Property(x => x.CustomerEmail).HasMaxLength(256);
            e.Property(x => x.ShopifyRequestId).HasMaxLength(64);
        });

        foreach (var entityType in modelBuilder.Model.GetEntityTypes())
        {
            if (!typeof(IStoreOwned).IsAssignableFrom(entityType.ClrType))
            {
                continue;
            }
            modelBuilder.Entity(entityType.ClrType).HasOne(typeof(Store)).WithMany().HasForeignKey(nameof(IStoreOwned.StoreId))
                .OnDelete(DeleteBehavior.Cascade);
            modelBuilder.Entity(entityType.ClrType).HasQueryFilter(BuildStoreFilter(entityType.ClrType));
        }
    }

    /// <summary>Builds <c>e =&gt; e.StoreId == this.CurrentStoreId</c>; EF re-reads the property on every query.</summary>
    private LambdaExpression BuildStoreFilter(Type entityClrType)
    {
        var entity = Expression.Parameter(entityClrType, "e");
        var storeId = Expression.Property(entity, nameof(IStoreOwned.StoreId));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentStoreId));
        return Expression.Lambda(Expression.Equal(storeId, current), entity);
    }

    /// <summary>
    /// Stamps new store-owned rows with the current store, refuses writes into another store, and records a
    /// <see cref="PendingFactsChange"/> with any change of the daily facts' inputs.
    /// </summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampStore();
        RecordFactsInputChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampStore();
        RecordFactsInputChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>The rows the daily facts are computed from.</summary>
    public static bool IsFactsInput(Type entityType) =>
        entityType == typeof(Order) || entityType == typeof(OrderLine) || entityType == typeof(Refund) || entityType == typeof(AdInsightDaily);

    /// <summary>
    /// For writes that bypass the change tracker (ExecuteDelete of facts inputs): the next SaveChanges in the same
    /// transaction records the change.
    /// </summary>
    public void MarkFactsInputsChanged()
    {
        if (!ChangeTracker.Entries<PendingFactsChange>().Any(e => e.State == EntityState.Added))
        {
            PendingFactsChanges.Add(new PendingFactsChange { StoreId = storeContext.RequiredStoreId });
        }
    }

    private void RecordFactsInputChanges()
    {
        var changed = ChangeTracker.Entries()
            .Where(e => (e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted) && IsFactsInput(e.Metadata.ClrType))
            .Select(e => ((IStoreOwned)e.Entity).StoreId)
            .Distinct()
            .ToList();
        foreach (var storeId in changed)
        {
            if (!ChangeTracker.Entries<PendingFactsChange>().Any(e => e.State == EntityState.Added && e.Entity.StoreId == storeId))
            {
                PendingFactsChanges.Add(new PendingFactsChange { StoreId = storeId });
            }
        }
    }

    private void StampStore()
    {
        foreach (var entry in ChangeTracker.Entries<IStoreOwned>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }
            if (entry.Entity.StoreId == 0)
            {
                entry.Entity.StoreId = storeContext.RequiredStoreId;
            }
            else if (storeContext.StoreId is { } current && entry.Entity.StoreId != current)
            {
                throw new InvalidOperationException("A row of another store cannot be written in this scope.");
            }
        }
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
