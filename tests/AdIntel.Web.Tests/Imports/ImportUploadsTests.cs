using AdIntel.Web.Domain;
using AdIntel.Web.Imports;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Imports;

/// <summary>
/// Uploads wait for their import job in the database, so any instance's job reads them: stored in chunks, read back
/// byte for byte (seeking included), deleted by name, and swept once abandoned.
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
        await WithUploadsAsync(app, store.StoreId, async uploads =>
        {
            await using var stream = (await uploads.OpenAsync(name, CancellationToken.None))!;
            Assert.Equal(bytes.Length, stream.Length);
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
            // Back across a chunk boundary, read synchronously as the CSV reader may.
            stream.Position = ImportUploads.ChunkBytes - 10;
            var across = new byte[20];
            stream.ReadExactly(across);
            Assert.Equal(bytes.AsSpan(ImportUploads.ChunkBytes - 10, 20).ToArray(), across);
            return true;
        });

        await WithUploadsAsync(app, store.StoreId, async uploads => { await uploads.DeleteAsync(name, CancellationToken.None); return true; });
        Assert.Null(await WithUploadsAsync(app, store.StoreId, uploads => uploads.OpenAsync(name, CancellationToken.None)));
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

    private static CsvUpload Upload(byte[] bytes) =>
        new(new FormFile(new MemoryStream(bytes), 0, bytes.Length, "file", "orders.csv"));

    private static async Task<T> WithUploadsAsync<T>(AdIntelApp app, long storeId, Func<ImportUploads, Task<T>> work)
    {
        await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateStoreScope(storeId);
        return await work(scope.ServiceProvider.GetRequiredService<ImportUploads>());
    }
}
