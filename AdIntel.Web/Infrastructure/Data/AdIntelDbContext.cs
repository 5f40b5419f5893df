using System.Linq.Expressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data.Configurations;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
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
    public DbSet<AdCreative> AdCreatives => Set<AdCreative>();
    public DbSet<AdInsightDaily> AdInsights => Set<AdInsightDaily>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<ProductVariant> ProductVariants => Set<ProductVariant>();
    public DbSet<ProductCost> ProductCosts => Set<ProductCost>();
    public DbSet<Rule> Rules => Set<Rule>();
    public DbSet<RuleExecution> RuleExecutions => Set<RuleExecution>();
    public DbSet<ActionRecord> ActionRecords => Set<ActionRecord>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<EntityTag> EntityTags => Set<EntityTag>();
    public DbSet<RecommendationRecord> Recommendations => Set<RecommendationRecord>();
    public DbSet<DailyStoreFacts> DailyFacts => Set<DailyStoreFacts>();
    public DbSet<PendingFactsChange> PendingFactsChanges => Set<PendingFactsChange>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<ImportUploadChunk> ImportUploadChunks => Set<ImportUploadChunk>();
    public DbSet<ScheduledReport> ScheduledReports => Set<ScheduledReport>();
    public DbSet<IntegrationConnection> IntegrationConnections => Set<IntegrationConnection>();
    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();
    public DbSet<WebhookReceipt> WebhookReceipts => Set<WebhookReceipt>();
    public DbSet<RateLimitCounter> RateLimitCounters => Set<RateLimitCounter>();
    public DbSet<ComplianceRequest> ComplianceRequests => Set<ComplianceRequest>();
    public DbSet<LlmUsage> LlmUsage => Set<LlmUsage>();
    public DbSet<NotificationChannel> NotificationChannels => Set<NotificationChannel>();
    public DbSet<NotificationPreferences> NotificationPreferences => Set<NotificationPreferences>();
    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();
    public DbSet<TrackingDataset> TrackingDatasets => Set<TrackingDataset>();
    public DbSet<TrackingEventDay> TrackingEventDays => Set<TrackingEventDay>();
    public DbSet<LtvFit> LtvFits => Set<LtvFit>();
    public DbSet<Competitor> Competitors => Set<Competitor>();
    public DbSet<CompetitorAd> CompetitorAds => Set<CompetitorAd>();
    public DbSet<CreativeVariant> CreativeVariants => Set<CreativeVariant>();

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
        // Each entity's keys, indexes, lengths and relations: one IEntityTypeConfiguration per entity in Configurations/.
        EntityConfigurations.ApplyAll(modelBuilder);

        foreach (var entityType in modelBuilder.Model.GetEntityTypes())
        {
            if (!typeof(IStoreOwned).IsAssignableFrom(entityType.ClrType))
            {
                continue;
            }
            if (!IsBulkLoaded(entityType.ClrType))
            {
                modelBuilder.Entity(entityType.ClrType).HasOne(typeof(Store)).WithMany().HasForeignKey(nameof(IStoreOwned.StoreId))
                    .OnDelete(DeleteBehavior.Cascade);
            }
            modelBuilder.Entity(entityType.ClrType).HasQueryFilter(BuildStoreFilter(entityType.ClrType));
        }
    }

    /// <summary>
    /// The store's orders, their lines and refunds, and its customers: the tables an import or a backfill fills by the
    /// hundred thousand rows. They have no foreign keys, because the database checks a foreign key row by row (on
    /// PostgreSQL a <c>SELECT … FOR KEY SHARE</c> of the parent per row and key: two thirds of a bulk write's time).
    /// What the keys guaranteed is kept by the code, once per batch instead of once per row:
    /// <list type="bullet">
    /// <item>a row's store exists: every new row of these tables goes in through <see cref="BulkWriter"/>, which locks the
    /// store's row in the writing transaction (<see cref="LockStoreAsync"/>), so a store deleted meanwhile refuses the
    /// batch and a deletion waits for a batch being written;</item>
    /// <item>a line's or refund's order and an order's customer exist: their one writer (<see cref="Ingestion.OrderWriter"/>)
    /// sets those ids itself, in the same transaction, to rows it has just written or read; orders and customers are only
    /// ever deleted with their store;</item>
    /// <item>nothing is left when a store goes: <see cref="DeleteBulkLoadedRowsAsync"/> deletes these rows in the store
    /// deletion's transaction, as the cascades delete the rest.</item>
    /// </list>
    /// </summary>
    public static bool IsBulkLoaded(Type entityType) =>
        entityType == typeof(Order) || entityType == typeof(OrderLine) || entityType == typeof(Refund) || entityType == typeof(Customer);

    /// <summary>
    /// Locks the current store's row until the transaction ends (PostgreSQL: <c>FOR KEY SHARE</c>, what a foreign key
    /// check takes; SQLite: a write transaction already excludes every other writer), so the store cannot be deleted
    /// before the transaction's rows are committed; throws when the store is already gone. Call inside the transaction.
    /// </summary>
    public async Task LockStoreAsync(CancellationToken cancellationToken)
    {
        var storeId = storeContext.RequiredStoreId;
        var found = Database.IsNpgsql()
            ? await Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Stores" WHERE "Id" = {storeId} FOR KEY SHARE""").ToListAsync(cancellationToken)
            : await Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Stores" WHERE "Id" = {storeId}""").ToListAsync(cancellationToken);
        if (found.Count == 0)
        {
            throw new StoreDeletedException(storeId);
        }
    }

    /// <summary>
    /// Deletes a store's <see cref="IsBulkLoaded"/> rows (no cascade reaches them). In the store deletion's transaction,
    /// after the store's row: that waits for any batch still being written (see <see cref="LockStoreAsync"/>).
    /// </summary>
    public async Task DeleteBulkLoadedRowsAsync(long storeId, CancellationToken cancellationToken)
    {
        // In the order the order writer writes them, so the two never wait for each other's tables in opposite orders.
        await Customers.IgnoreQueryFilters().Where(c => c.StoreId == storeId).ExecuteDeleteAsync(cancellationToken);
        await Orders.IgnoreQueryFilters().Where(o => o.StoreId == storeId).ExecuteDeleteAsync(cancellationToken);
        await OrderLines.IgnoreQueryFilters().Where(l => l.StoreId == storeId).ExecuteDeleteAsync(cancellationToken);
        await Refunds.IgnoreQueryFilters().Where(r => r.StoreId == storeId).ExecuteDeleteAsync(cancellationToken);
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

    /// <summary>The rows the daily facts are computed from (a cost entry changes the COGS of the lines it applies to).</summary>
    public static bool IsFactsInput(Type entityType) =>
        entityType == typeof(Order) || entityType == typeof(OrderLine) || entityType == typeof(Refund) || entityType == typeof(AdInsightDaily)
        || entityType == typeof(ProductCost);

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
