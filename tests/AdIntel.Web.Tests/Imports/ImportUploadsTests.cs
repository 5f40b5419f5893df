using System.Globalization;
using System.Text;
using AdIntel.Web.Domain;
using AdIntel.Web.Imports;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Imports;

/// <summary>
/// Uploads wait for their import job in the database, so any instance's job reads them: stored in chunks (compressed
/// when that makes them smaller), read back byte for byte (seeking included), deleted by name, and swept once abandoned.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ImportUploadsTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task An_upload_of_several_chunks_reads_back_byte_for_byte_and_is_deleted_by_name(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var bytes = new byte[ImportUploads.ChunkBytes * 2 + 12_345];
        new Random(17).NextBytes(bytes);

        var name = await WithUploadsAsync(app, store.StoreId, uploads => uploads.SaveAsync(Upload(bytes), CancellationToken.None));

        Assert.Equal(3, await app.WithDbAsync(store.StoreId, db => db.ImportUploadChunks.CountAsync(c => c.UploadName == name)));
        // Random bytes do not compress: kept as they came.
        Assert.Equal(0, await app.WithDbAsync(store.StoreId, db => db.ImportUploadChunks.CountAsync(c => c.UploadName == name && c.IsCompressed)));
        await AssertReadsBackAsync(app, store.StoreId, name, bytes, ImportUploads.ChunkBytes - 10, 20);

        await WithUploadsAsync(app, store.StoreId, async uploads => { await uploads.DeleteAsync(name, CancellationToken.None); return true; });
        Assert.Null(await WithUploadsAsync(app, store.StoreId, uploads => uploads.OpenAsync(name, CancellationToken.None)));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task An_orders_export_is_stored_compressed_and_reads_back_byte_for_byte(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var csv = new StringBuilder("Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n");
        var random = new Random(5);
        for (var i = 0; csv.Length < ImportUploads.ChunkBytes * 2 + 5_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"#{1000 + i},buyer{random.Next(5_000)}@example.com,paid,2026-0{1 + random.Next(9)}-1{random.Next(10)} 10:{random.Next(10, 60)}:00 -0500,{1 + random.Next(3)},Linen shirt – {random.Next(40)},{random.Next(10, 90)}.00,SKU-{random.Next(400)}\n");
        }
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());

        var name = await WithUploadsAsync(app, store.StoreId, uploads => uploads.SaveAsync(Upload(bytes), CancellationToken.None));

        var stored = await app.WithDbAsync(store.StoreId, db => db.ImportUploadChunks.Where(c => c.UploadName == name).OrderBy(c => c.Sequence)
            .Select(c => new { c.Length, c.IsCompressed, Stored = c.Bytes.Length }).ToListAsync());
        Assert.Equal(3, stored.Count);
        Assert.All(stored, c => Assert.True(c.IsCompressed));
        Assert.Equal(bytes.Length, stored.Sum(c => c.Length));
        Assert.True(stored.Sum(c => c.Stored) < bytes.Length / 3, $"{stored.Sum(c => c.Stored):N0} bytes stored for a {bytes.Length:N0}-byte file");
        await AssertReadsBackAsync(app, store.StoreId, name, bytes, 2 * ImportUploads.ChunkBytes - 7, 4_000);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Uploads_no_run_reads_any_more_are_swept_after_a_day(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var fresh = await WithUploadsAsync(app, store.StoreId, uploads => uploads.SaveAsync(Upload("Name\n#1\n"u8.ToArray()), CancellationToken.None));
        var abandoned = await WithUploadsAsync(app, store.StoreId, uploads => uploads.SaveAsync(Upload("Name\n#2\n"u8.ToArray()), CancellationToken.None));
        await app.WithDbAsync(store.StoreId, db => db.ImportUploadChunks.Where(c => c.UploadName == abandoned)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.CreatedAtUtc, PinnedDate.UtcNow.AddDays(-2))));

        await WithUploadsAsync(app, store.StoreId, uploads => uploads.DeleteAbandonedAsync(CancellationToken.None));

        var left = await app.WithDbAsync(store.StoreId, db => db.ImportUploadChunks.Select(c => c.UploadName).ToListAsync());
        Assert.Equal([fresh], left);
    }

    /// <summary>The whole upload reads back byte for byte, and so does a stretch read synchronously after seeking back across a chunk boundary (as the CSV reader may).</summary>
    private static Task AssertReadsBackAsync(AdIntelApp app, long storeId, string name, byte[] bytes, int seekTo, int count) =>
        WithUploadsAsync(app, storeId, async uploads =>
        {
            await using var stream = (await uploads.OpenAsync(name, CancellationToken.None))!;
            Assert.Equal(bytes.Length, stream.Length);
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
            stream.Position = seekTo;
            var stretch = new byte[count];
            stream.ReadExactly(stretch);
            Assert.Equal(bytes.AsSpan(seekTo, count).ToArray(), stretch);
            return true;
        });

    private static CsvUpload Upload(byte[] bytes) =>
        new(new FormFile(new MemoryStream(bytes), 0, bytes.Length, "file", "orders.csv"));

    private static async Task<T> WithUploadsAsync<T>(AdIntelApp app, long storeId, Func<ImportUploads, Task<T>> work)
    {
        await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateStoreScope(storeId);
        return await work(scope.ServiceProvider.GetRequiredService<ImportUploads>());
    }
}
