using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using System.Buffers;
using System.IO.Compression;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Imports;

/// <summary>
/// Uploads waiting for their import job, kept in the database as chunks (<see cref="ImportUploadChunk"/>) so whichever
/// instance picks the job up reads the file. Each is deleted once its run has ended; the stale-run sweep deletes those
/// no run will read.
/// </summary>
public sealed class ImportUploads(AdIntelDbContext db, StoreContext storeContext, IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>Bytes per row: large enough that a 100 MB file is 100 rows, small enough to hold one in memory while reading.</summary>
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>Uploads of runs that vanished (their store deleted while they waited); a day is far longer than any import waits.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// Stores the upload for the current store, chunk by chunk; returns its name. Each chunk is Brotli-compressed at
    /// quality 0 (the fastest) while the one before it is being stored: an orders export shrinks about five times, and
    /// storing its bytes was most of the time an upload took (PostgreSQL spent ~15 ms per MiB taking one in), against
    /// ~2 ms per MiB to compress.
    /// </summary>
    public async Task<string> SaveAsync(CsvUpload upload, CancellationToken cancellationToken)
    {
        var name = $"{Guid.NewGuid():N}.csv";
        var now = time.GetUtcNow().UtcDateTime;
        Task? storing = null;
        try
        {
            await using var source = upload.OpenReadStream();
            var buffer = new byte[ChunkBytes];
            for (var sequence = 0; ; sequence++)
            {
                var length = await source.ReadAtLeastAsync(buffer, ChunkBytes, throwOnEndOfStream: false, cancellationToken);
                if (length == 0 && sequence > 0)
                {
                    break;
                }
                var chunk = Encode(name, sequence, buffer.AsSpan(0, length), now);
                if (storing is not null)
                {
                    await storing;
                }
                storing = StoreAsync(chunk, cancellationToken);
                if (length < ChunkBytes)
                {
                    break;
                }
            }
            if (storing is not null)
            {
                await storing;
            }
        }
        catch
        {
            if (storing is { IsCompleted: false })
            {
                // The context is still busy with it; the clean-up needs it.
                await storing.ContinueWith(static t => t.Exception, TaskScheduler.Default);
            }
            await DeleteAsync(name, CancellationToken.None);
            throw;
        }
        return name;
    }

    private static ImportUploadChunk Encode(string name, int sequence, ReadOnlySpan<byte> bytes, DateTime now)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(bytes.Length));
        try
        {
            // A window of 1 MiB covers a whole chunk.
            var smaller = BrotliEncoder.TryCompress(bytes, scratch, out var written, quality: 0, window: 20) && written < bytes.Length;
            return new ImportUploadChunk
            {
                UploadName = name,
                Sequence = sequence,
                Length = bytes.Length,
                IsCompressed = smaller,
                Bytes = smaller ? scratch[..written] : bytes.ToArray(),
                CreatedAtUtc = now,
            };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task StoreAsync(ImportUploadChunk chunk, CancellationToken cancellationToken)
    {
        db.ImportUploadChunks.Add(chunk);
        await db.SaveChangesAsync(cancellationToken);
        // Not kept tracked: a large file would stay in memory until the request ends.
        db.Entry(chunk).State = EntityState.Detached;
    }

    /// <summary>The stored upload of the current store as a seekable stream read chunk by chunk; null when it is gone.</summary>
    public async Task<Stream?> OpenAsync(string? name, CancellationToken cancellationToken)
    {
        if (name is null)
        {
            return null;
        }
        var lengths = await db.ImportUploadChunks.AsNoTracking().Where(c => c.UploadName == name).OrderBy(c => c.Sequence)
            .Select(c => c.Length).ToListAsync(cancellationToken);
        // Read through a context of its own: the importer writes through this scope's while it reads the file.
        return lengths.Count == 0 ? null : new UploadStream(scopes.CreateStoreScope(storeContext.RequiredStoreId), name, lengths);
    }

    public Task DeleteAsync(string? name, CancellationToken cancellationToken) =>
        name is null ? Task.CompletedTask : DeleteAsync([name], cancellationToken);

    /// <summary>Deletes uploads by name, whatever their store (names are random and only ever read from the runs this class serves).</summary>
    public Task DeleteAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        db.ImportUploadChunks.IgnoreQueryFilters().Where(c => names.Contains(c.UploadName)).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Deletes uploads no run will read any more, in every store.</summary>
    public async Task<int> DeleteAbandonedAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - AbandonedAfter;
        return await db.ImportUploadChunks.IgnoreQueryFilters().Where(c => c.CreatedAtUtc < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private sealed record StoredBytes(byte[] Bytes, bool IsCompressed);

    /// <summary>A read-only, seekable view of one upload's chunks; holds one chunk in memory at a time.</summary>
    private sealed class UploadStream : Stream
    {
        private readonly AsyncServiceScope _scope;
        private readonly AdIntelDbContext _db;
        private readonly string _name;
        private readonly long[] _starts;
        private readonly long _length;
        private int _chunkIndex = -1;
        private byte[] _chunk = [];
        private int _chunkLength;
        private long _position;

        public UploadStream(AsyncServiceScope scope, string name, IReadOnlyList<int> lengths)
        {
            _scope = scope;
            _db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
            _name = name;
            _starts = new long[lengths.Count];
            for (var i = 0; i < lengths.Count; i++)
            {
                _starts[i] = _length;
                _length += lengths[i];
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => _length;

        public override long Position
        {
            get => _position;
            set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (NextChunk() is { } index && index != _chunkIndex)
            {
                Load(index, _db.ImportUploadChunks.AsNoTracking().Where(c => c.UploadName == _name && c.Sequence == index)
                    .Select(c => new StoredBytes(c.Bytes, c.IsCompressed)).Single());
            }
            return CopyTo(buffer);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (NextChunk() is { } index && index != _chunkIndex)
            {
                Load(index, await _db.ImportUploadChunks.AsNoTracking().Where(c => c.UploadName == _name && c.Sequence == index)
                    .Select(c => new StoredBytes(c.Bytes, c.IsCompressed)).SingleAsync(cancellationToken));
            }
            return CopyTo(buffer.Span);
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await _scope.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _scope.Dispose();
            }
            base.Dispose(disposing);
        }

        /// <summary>The chunk holding the position; null at the end.</summary>
        private int? NextChunk()
        {
            if (_position >= _length)
            {
                return null;
            }
            var index = Array.BinarySearch(_starts, _position);
            return index >= 0 ? index : ~index - 1;
        }

        private void Load(int index, StoredBytes stored)
        {
            var length = (int)((index + 1 < _starts.Length ? _starts[index + 1] : _length) - _starts[index]);
            if (!stored.IsCompressed)
            {
                _chunk = stored.Bytes.Length == length ? stored.Bytes
                    : throw new InvalidDataException($"Chunk {index} of upload {_name} has {stored.Bytes.Length} bytes, not its {length}.");
            }
            else
            {
                if (_chunk.Length < length)
                {
                    _chunk = new byte[length];
                }
                if (!BrotliDecoder.TryDecompress(stored.Bytes, _chunk.AsSpan(0, length), out var written) || written != length)
                {
                    throw new InvalidDataException($"Chunk {index} of upload {_name} does not decompress to its {length} bytes.");
                }
            }
            _chunkIndex = index;
            _chunkLength = length;
        }

        private int CopyTo(Span<byte> buffer)
        {
            if (_position >= _length)
            {
                return 0;
            }
            var offset = (int)(_position - _starts[_chunkIndex]);
            var count = Math.Min(buffer.Length, _chunkLength - offset);
            _chunk.AsSpan(offset, count).CopyTo(buffer);
            _position += count;
            return count;
        }
    }
}
