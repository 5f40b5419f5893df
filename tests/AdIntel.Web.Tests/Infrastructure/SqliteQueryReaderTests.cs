using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Infrastructure;

[Collection(AppCollection.Name)]
public sealed class SqliteQueryReaderTests(AppFixture fixture)
{
    private sealed record OrderRow(long Id, long? CustomerId, DateOnly LocalDate, DateTime CreatedAtUtc, DateTimeKind Kind, decimal GrossSales, decimal Total);

    [Fact]
    public async Task Reads_the_demo_stores_orders_exactly_as_EF_does()
    {
        var app = fixture.SqliteApp;

        var (viaEf, viaReader) = await app.WithDbAsync(app.DemoStoreId, async db =>
        {
            var query = Query(db);
            return (await query.ToListAsync(), Read(db, query));
        });

        Assert.True(viaEf.Count > 1000, $"the demo store has orders ({viaEf.Count})");
        Assert.Equal(viaEf.Select(ToRow), viaReader);
    }

    [Fact]
    public async Task Values_not_in_EFs_own_text_forms_read_as_EF_reads_them()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();
        var created = new DateTime(2025, 3, 5, 19, 22, 10, DateTimeKind.Utc);
        await app.WithDbAsync(store.StoreId, async db =>
        {
            for (var i = 0; i < 8; i++)
            {
                db.Orders.Add(new Order { ExternalId = $"odd-{i}", Name = $"#{i}", CreatedAtUtc = created, UpdatedAtUtc = created, LocalDate = new DateOnly(2025, 3, 5) });
            }
            await db.SaveChangesAsync();
        });
        // Text forms other writers (a migration, a hand-made fix, another tool) may leave behind.
        string[] updates =
        [
            """UPDATE "Orders" SET "CreatedAtUtc" = '2025-03-04 05:06:07', "GrossSales" = '12' WHERE "ExternalId" = 'odd-0'""",
            """UPDATE "Orders" SET "CreatedAtUtc" = '2025-03-04 05:06:07.5', "GrossSales" = '1.5E1' WHERE "ExternalId" = 'odd-1'""",
            """UPDATE "Orders" SET "CreatedAtUtc" = '2025-03-04T05:06:07', "GrossSales" = '-0.25' WHERE "ExternalId" = 'odd-2'""",
            """UPDATE "Orders" SET "CreatedAtUtc" = '2025-03-04 05:06:07.120', "GrossSales" = 7 WHERE "ExternalId" = 'odd-3'""",
            """UPDATE "Orders" SET "CreatedAtUtc" = '2025-03-04 05:06:07.1234567', "GrossSales" = 3.25 WHERE "ExternalId" = 'odd-4'""",
            """UPDATE "Orders" SET "LocalDate" = '2025-3-5', "GrossSales" = '0.0' WHERE "ExternalId" = 'odd-5'""",
            """UPDATE "Orders" SET "LocalDate" = '2025/03/06', "CreatedAtUtc" = '2025-03-04 5:06:07' WHERE "ExternalId" = 'odd-6'""",
            """UPDATE "Orders" SET "CreatedAtUtc" = '2024-02-29 23:59:59.9999999', "GrossSales" = '79228162514264337593543950335' WHERE "ExternalId" = 'odd-7'""",
        ];

        var (viaEf, viaReader) = await app.WithDbAsync(store.StoreId, async db =>
        {
            foreach (var update in updates)
            {
                await db.Database.ExecuteSqlRawAsync(update);
            }
            var query = Query(db);
            return (await query.ToListAsync(), Read(db, query));
        });

        Assert.Equal(8, viaReader.Count);
        Assert.Equal(viaEf.Select(ToRow), viaReader);
    }

    [Fact]
    public async Task A_query_whose_columns_differ_from_the_expected_ones_is_refused()
    {
        var app = fixture.SqliteApp;
        var error = await app.WithDbAsync(app.DemoStoreId, db =>
        {
            db.Database.OpenConnection();
            try
            {
                return Task.FromResult(Assert.Throws<InvalidOperationException>(() =>
                    SqliteQueryReader.Open(db.Orders.Select(o => new { o.Total, o.Id }), (SqliteConnection)db.Database.GetDbConnection(), "Id", "Total")));
            }
            finally
            {
                db.Database.CloseConnection();
            }
        });
        Assert.Contains("Total, Id", error.Message, StringComparison.Ordinal);
    }

    private static IQueryable<Order> Query(AdIntelDbContext db) => db.Orders.AsNoTracking().OrderBy(o => o.Id);

    private static OrderRow ToRow(Order o) => new(o.Id, o.CustomerId, o.LocalDate, o.CreatedAtUtc, o.CreatedAtUtc.Kind, o.GrossSales, o.Total);

    private static List<OrderRow> Read(AdIntelDbContext db, IQueryable<Order> query)
    {
        var projection = query.Select(o => new { o.Id, o.CustomerId, o.LocalDate, o.CreatedAtUtc, o.GrossSales, o.Total });
        db.Database.OpenConnection();
        try
        {
            using var rows = SqliteQueryReader.Open(projection, (SqliteConnection)db.Database.GetDbConnection(),
                "Id", "CustomerId", "LocalDate", "CreatedAtUtc", "GrossSales", "Total");
            var result = new List<OrderRow>();
            while (rows.Read())
            {
                var createdAt = rows.GetDateTime(3);
                result.Add(new OrderRow(rows.GetInt64(0), rows.GetNullableInt64(1), rows.GetDateOnly(2), createdAt, createdAt.Kind,
                    rows.GetDecimal(4), rows.GetDecimal(5)));
            }
            return result;
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }
}
