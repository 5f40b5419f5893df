using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AdIntel.Web.Integrations.Shopify.Sync;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Shopify;

/// <summary>A bulk operation as Shopify reports it.</summary>
public sealed record ShopifyBulkStatus(string Id, string Status, string? ErrorCode, long ObjectCount, long RootObjectCount, string? Url, string? Query)
{
    public bool IsFinished => Status is "COMPLETED" or "FAILED" or "CANCELED" or "EXPIRED";
}

/// <summary>A bulk operation ended without a result to read.</summary>
public sealed class ShopifyBulkOperationException(string message) : Exception(message);

/// <summary>
/// Bulk operations (docs/integrations.md#bulk-operations): start one for a query, poll it until it finishes, and read its JSONL result as
/// a stream, one row at a time (the file can be gigabytes: it is never held whole). When the shop already runs a bulk
/// query (one at a time before API 2026-01), an operation of the same query is adopted instead of failing.
/// </summary>
public sealed class ShopifyBulkOperations(ShopifyAdminClient client, IOptions<ShopifySyncOptions> options, TimeProvider time,
    ILogger<ShopifyBulkOperations> logger)
{
    private readonly ShopifySyncOptions _options = options.Value;

    /// <summary>Starts a bulk query; returns its id.</summary>
    public async Task<string> StartAsync(ShopifyAdminSession session, string query, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _options.BulkTimeout;
        while (true)
        {
            using var answer = await client.QueryAsync(session, ShopifyQueries.BulkRun, new { query }, cancellationToken);
            var payload = answer.RootElement.GetProperty("data").GetProperty("bulkOperationRunQuery");
            if (payload.TryGetProperty("bulkOperation", out var operation) && operation.ValueKind == JsonValueKind.Object)
            {
                return operation.GetProperty("id").GetString()!;
            }
            var errors = payload.TryGetProperty("userErrors", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
            var inProgress = errors.Any(e => ShopifyGraphQlReader.Text(e, "code") == "OPERATION_IN_PROGRESS"
                || (ShopifyGraphQlReader.Text(e, "message") ?? "").Contains("already in progress", StringComparison.OrdinalIgnoreCase));
            if (!inProgress)
            {
                throw new ShopifyGraphQlException("BULK_USER_ERROR", string.Join("; ", errors.Select(e => ShopifyGraphQlReader.Text(e, "message"))));
            }
            // Our own earlier start (its answer lost to a fault, or the sync stopped) is adopted; another query is waited out.
            var current = await CurrentAsync(session, cancellationToken);
            if (current is { IsFinished: false } && current.Query is not null && Normalize(current.Query) == Normalize(query))
            {
                logger.LogInformation("Adopting running bulk operation {Operation} of {Shop}", current.Id, session.Shop);
                return current.Id;
            }
            if (time.GetUtcNow() > deadline)
            {
                throw new ShopifyBulkOperationException("Another bulk operation of this shop has been running too long.");
            }
            await Task.Delay(_options.BulkPollInterval, time, cancellationToken);
        }
    }

    public async Task<ShopifyBulkStatus?> GetAsync(ShopifyAdminSession session, string id, CancellationToken cancellationToken)
    {
        using var answer = await client.QueryAsync(session, ShopifyQueries.BulkPoll, new { id }, cancellationToken);
        var operation = answer.RootElement.GetProperty("data").GetProperty("bulkOperation");
        return operation.ValueKind == JsonValueKind.Object ? Read(operation) : null;
    }

    /// <summary>Polls until the operation finishes; returns it when COMPLETED, throws otherwise.</summary>
    public async Task<ShopifyBulkStatus> WaitAsync(ShopifyAdminSession session, string id, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _options.BulkTimeout;
        while (true)
        {
            var status = await GetAsync(session, id, cancellationToken)
                ?? throw new ShopifyBulkOperationException($"Bulk operation {id} no longer exists.");
            if (status.Status == "COMPLETED")
            {
                return status;
            }
            if (status.IsFinished)
            {
                throw new ShopifyBulkOperationException($"Bulk operation {id} ended {status.Status}{(status.ErrorCode is { } code ? " (" + code + ")" : "")}.");
            }
            if (time.GetUtcNow() > deadline)
            {
                throw new ShopifyBulkOperationException($"Bulk operation {id} did not finish within {_options.BulkTimeout}.");
            }
            await Task.Delay(_options.BulkPollInterval, time, cancellationToken);
        }
    }

    /// <summary>
    /// The result's rows from row <paramref name="skip"/> on (0-based), each with its row number; the caller is done with
    /// each document (it reads the download's buffer) before asking for the next, and disposes it. A download that breaks off is opened again and resumes after the last row handed out.
    /// </summary>
    public async IAsyncEnumerable<(long Row, JsonDocument Document)> ReadAsync(string? url, long skip,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (row, line) in ReadLinesAsync(url, skip, cancellationToken))
        {
            yield return (row, JsonDocument.Parse(line));
        }
    }

    /// <summary>
    /// The result's rows as their UTF-8 JSON text, from row <paramref name="skip"/> on (0-based), each with its row number;
    /// empty lines are left out. A row's bytes are valid until the next row is asked for (they are the download's buffer).
    /// A download that breaks off is opened again and resumes after the last row handed out.
    /// </summary>
    public async IAsyncEnumerable<(long Row, ReadOnlyMemory<byte> Line)> ReadLinesAsync(string? url, long skip,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (url is null)
        {
            // COMPLETED without a URL: the query matched nothing.
            yield break;
        }
        var next = skip;
        var failures = 0;
        // A row that spans two of the download's buffers is copied here whole.
        var joined = Array.Empty<byte>();
        while (true)
        {
            using var response = await client.OpenDownloadAsync(url, cancellationToken);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 1 << 16));
            long row = 0;
            var broken = false;
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(cancellationToken);
                }
                catch (IOException e) when (++failures < _options.MaxAttempts)
                {
                    logger.LogWarning("Bulk result download broke off at row {Row} ({Message}); resuming", next, e.Message);
                    broken = true;
                    break;
                }
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    if (row++ < next || line.IsEmpty)
                    {
                        continue;
                    }
                    next = row;
                    yield return (row - 1, Contiguous(line, ref joined));
                }
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty && row++ >= next)
                    {
                        // The last row without a newline.
                        next = row;
                        yield return (row - 1, Contiguous(buffer, ref joined));
                    }
                    reader.AdvanceTo(buffer.End);
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
            await reader.CompleteAsync();
            if (!broken)
            {
                yield break;
            }
        }
    }

    private static ReadOnlyMemory<byte> Contiguous(in ReadOnlySequence<byte> line, ref byte[] joined)
    {
        if (line.IsSingleSegment)
        {
            return line.First;
        }
        if (joined.Length < line.Length)
        {
            joined = new byte[Math.Max(line.Length, joined.Length * 2)];
        }
        line.CopyTo(joined);
        return joined.AsMemory(0, (int)line.Length);
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    private async Task<ShopifyBulkStatus?> CurrentAsync(ShopifyAdminSession session, CancellationToken cancellationToken)
    {
        using var answer = await client.QueryAsync(session, ShopifyQueries.BulkCurrent, null, cancellationToken);
        var operation = answer.RootElement.GetProperty("data").GetProperty("currentBulkOperation");
        return operation.ValueKind == JsonValueKind.Object ? Read(operation) : null;
    }

    private static ShopifyBulkStatus Read(JsonElement operation) => new(
        operation.GetProperty("id").GetString()!,
        ShopifyGraphQlReader.Text(operation, "status") ?? "",
        ShopifyGraphQlReader.Text(operation, "errorCode"),
        Count(operation, "objectCount"),
        Count(operation, "rootObjectCount"),
        ShopifyGraphQlReader.Text(operation, "url"),
        ShopifyGraphQlReader.Text(operation, "query"));

    /// <summary>UnsignedInt64 counts come as JSON strings.</summary>
    private static long Count(JsonElement operation, string name)
    {
        if (!operation.TryGetProperty(name, out var value))
        {
            return 0;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetInt64(),
            JsonValueKind.String when long.TryParse(value.GetString(), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var count) => count,
            _ => 0,
        };
    }

    private static string Normalize(string query) => string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
