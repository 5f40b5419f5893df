using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Infrastructure;

[Collection(AppCollection.Name)]
public sealed class BulkWriterTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task InsertAsync_writes_rows_EF_reads_back_identically(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var created = new DateTime(2025, 3, 5, 19, 22, 10, DateTimeKind.Utc);

        var orders = Enumerable.Range(1, 1203).Select(i => new Order
        {
            ExternalId = $"bulk-{i}", Name = $"#{1000 + i}", CreatedAtUtc = created.AddMinutes(i), UpdatedAtUtc = created,
            LocalDate = DateOnly.FromDateTime(created.AddMinutes(i)), GrossSales = 10.25m * i, Discounts = i % 3 == 0 ? 1.5m : 0m,
            Total = 10.25m * i + 4.99m, Shipping = 4.99m, CancelledAtUtc = i == 7 ? created : null, IsTest = i == 8,
        }).ToList();
        await app.WithDbAsync(store.StoreId, db => BulkWriter.InsertAsync(db, orders, CancellationToken.None));

        Assert.All(orders, o => Assert.True(o.Id > 0));
        Assert.Equal(orders.Count, orders.Select(o => o.Id).Distinct().Count());
        var lines = orders.Select(o => new OrderLine { OrderId = o.Id, Title = "Tee", Quantity = 2, UnitPrice = 10.25m, UnitCost = o.Id % 2 == 0 ? 3.1234m : null }).ToList();
        await app.WithDbAsync(store.StoreId, db => BulkWriter.InsertAsync(db, lines, CancellationToken.None));

        var (count, sum, seventh, lineCount, costed) = await app.WithDbAsync(store.StoreId, async db => (
            await db.Orders.CountAsync(),
            (await db.Orders.Select(o => o.GrossSales).ToListAsync()).Sum(),
            await db.Orders.SingleAsync(o => o.ExternalId == "bulk-7"),
            await db.OrderLines.CountAsync(l => l.OrderId == orders[0].Id),
            await db.OrderLines.CountAsync(l => l.UnitCost == 3.1234m)));

        Assert.Equal(1203, count);
        Assert.Equal(orders.Sum(o => o.GrossSales), sum);
        Assert.Equal(created, seventh.CancelledAtUtc);
        Assert.Equal(DateTimeKind.Utc, seventh.CreatedAtUtc.Kind);
        Assert.Equal(created.AddMinutes(7), seventh.CreatedAtUtc);
        Assert.Equal(DateOnly.FromDateTime(created.AddMinutes(7)), seventh.LocalDate);
        Assert.Equal(1, lineCount);
        Assert.Equal(lines.Count(l => l.UnitCost is not null), costed);

        // EF inserts after a bulk insert must not collide with the assigned keys (PostgreSQL sequence advanced).
        await app.WithDbAsync(store.StoreId, async db =>
        {
            db.Orders.Add(new Order { ExternalId = "after-bulk", Name = "#9999", CreatedAtUtc = created, LocalDate = new DateOnly(2025, 3, 5) });
            await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task InsertAsync_refuses_rows_of_another_store()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        var foreign = new[] { new Customer { StoreId = store.StoreId + 1000, ExternalId = "x" } };

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            fixture.SqliteApp.WithDbAsync(store.StoreId, db => BulkWriter.InsertAsync(db, foreign, CancellationToken.None)));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task InsertAsync_stores_the_same_values_and_types_as_EF(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        // Values at the edges of each column's format: signs, scales finer than the column's (rounded on arrival),
        // the largest amount a numeric(18,4) holds, sub-microsecond times, text beyond ASCII.
        Order Sample(string externalId, int variant) => new()
        {
            ExternalId = externalId, Name = variant == 0 ? "#Ü-1001 “quoted” 🧾" : "", Email = variant == 1 ? "a@b.example" : null,
            CreatedAtUtc = new DateTime(2025, 3, 5, 19, 22, 10, 123, DateTimeKind.Utc).AddTicks(4567 + variant),
            LocalDate = new DateOnly(2025, 3, 5).AddDays(-400 * variant), UpdatedAtUtc = new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddDays(variant),
            Currency = "EUR", CancelledAtUtc = variant == 2 ? new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) : null, IsTest = variant % 2 == 0,
            GrossSales = variant switch { 0 => 1234.5m, 1 => -0.0001m, 2 => 99_999_999_999_999.9999m, _ => 0m },
            Discounts = variant switch { 0 => 0m, 1 => 0.00005m, 2 => -12.34m, _ => 10_000m },
            Shipping = variant switch { 0 => 4.99m, 1 => 12_345_678.12345678m, 2 => 0.1m, _ => -10_000.0001m },
            Taxes = variant switch { 0 => 0.0001m, 1 => 100m, 2 => 1e-8m, _ => 123_456_789.0123m },
            Total = variant switch { 0 => 1_000_000.125m, 1 => -99_999_999_999_999.9999m, 2 => 20_000.02m, _ => 0.0000m },
            DiscountCode = variant == 3 ? null : "SPRING", SourceName = "",
        };
        var variants = Enumerable.Range(0, 4).ToList();
        var viaEf = variants.Select(v => Sample($"via-ef-{v}", v)).ToList();
        var viaBulk = variants.Select(v => Sample($"via-bulk-{v}", v)).ToList();
        await app.WithDbAsync(store.StoreId, async db =>
        {
            db.Orders.AddRange(viaEf);
            await db.SaveChangesAsync();
        });
        await app.WithDbAsync(store.StoreId, db => BulkWriter.InsertAsync(db, viaBulk, CancellationToken.None));

        var stored = await app.WithDbAsync(store.StoreId, async db =>
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"Orders\" WHERE \"StoreId\" = {store.StoreId}";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new Dictionary<string, Dictionary<string, string>>();
            while (await reader.ReadAsync())
            {
                var row = Enumerable.Range(0, reader.FieldCount).ToDictionary(
                    reader.GetName,
                    i => reader.IsDBNull(i) ? "NULL" : $"{reader.GetValue(i).GetType().Name}:{Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)}");
                rows[row["ExternalId"]] = row;
            }
            return rows;
        });

        Assert.Equal(8, stored.Count);
        foreach (var variant in variants)
        {
            var (ef, bulk) = (stored[$"String:via-ef-{variant}"], stored[$"String:via-bulk-{variant}"]);
            foreach (var (column, efValue) in ef.Where(c => c.Key is not "Id" and not "ExternalId"))
            {
                Assert.True(efValue == bulk[column], $"sample {variant}, {column}: EF wrote {efValue}, BulkWriter wrote {bulk[column]}");
            }
        }
    }
}
