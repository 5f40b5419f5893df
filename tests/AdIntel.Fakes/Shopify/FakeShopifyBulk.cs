using System.Buffers;
using System.Text.Json;
using static AdIntel.Fakes.Shopify.FakeShopifySchema;

namespace AdIntel.Fakes.Shopify;

/// <summary>
/// Bulk operations: <c>bulkOperationRunQuery</c> checks the query (a root connection, at most 5 connections,
/// nested at most 2 deep, the per-shop concurrency of the API version), then writes the JSONL result in the background:
/// one object per line, nested connections' nodes as rows of their own with <c>__parentId</c>, after their parent
/// (or, with <see cref="FakeShopifyAdmin.BulkChildrenLast"/>, all at the end). Polls move it CREATED → RUNNING →
/// COMPLETED; the file is served without Shopify auth at a secret URL, like a signed storage URL.
/// </summary>
internal static class FakeShopifyBulk
{
    public static FakeShopifyExecutor.FakePayload Run(FakeShopifyAdmin admin, FakeShopifyCatalog catalog, string shop, string version, string? query,
        bool allOrders, DateTimeOffset now, string baseUrl)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return Refused("Query is required.", "INVALID");
        }
        GqlField root;
        try
        {
            var operation = FakeGraphQlParser.Parse(query);
            if (operation.Kind != "query" || operation.Selections.Count != 1)
            {
                return Refused("Bulk queries must contain exactly one top-level field, a connection.", "INVALID");
            }
            FakeShopifyExecutor.Validate(operation, bulk: true);
            root = operation.Selections[0];
            if (!Types["QueryRoot"].TryGetValue(root.Name, out var rootType) || rootType.Kind != Kind.Connection)
            {
                return Refused($"Bulk queries must start with a connection field of QueryRoot, not '{root.Name}'.", "INVALID");
            }
            var (connections, depth) = Connections("QueryRoot", operation.Selections, 0);
            if (connections > 5)
            {
                return Refused($"Bulk queries cannot contain more than 5 connections (found {connections}).", "INVALID");
            }
            if (depth > 2)
            {
                return Refused("Bulk queries cannot contain connections nested more than 2 levels deep.", "INVALID");
            }
        }
        catch (GqlException e)
        {
            return Refused("Invalid bulk query: " + e.Message, "INVALID");
        }

        FakeBulkOperation created;
        lock (admin.BulkOperations)
        {
            var limit = string.CompareOrdinal(version, "2026-01") >= 0 ? 5 : 1;
            var running = admin.BulkOperations.Values.Where(o => o.Shop == shop && o.Status is "CREATED" or "RUNNING").ToList();
            if (running.Count >= limit)
            {
                return Refused($"A bulk query operation for this app and shop is already in progress: {running[0].Id}.", "OPERATION_IN_PROGRESS");
            }
            var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            created = new FakeBulkOperation
            {
                Id = FakeShopifyExecutor.Gid("BulkOperation", 4_000_000 + admin.BulkOperations.Count + 1L),
                Shop = shop, Query = query, CreatedAt = now, DownloadToken = token,
                Url = $"{baseUrl}/shops/{shop}/bulk-results/{token}.jsonl",
            };
            admin.BulkOperations[created.Id] = created;
        }
        var childrenLast = admin.BulkChildrenLast;
        _ = Task.Run(() => Generate(created, catalog, root, allOrders, now, childrenLast));
        return new FakeShopifyExecutor.FakePayload(created, []);
    }

    private static FakeShopifyExecutor.FakePayload Refused(string message, string code) =>
        new(null, [new FakeShopifyExecutor.FakeUserError(["query"], message, code)]);

    private static (int Count, int Depth) Connections(string type, IReadOnlyList<GqlField> selections, int depth)
    {
        int count = 0, deepest = depth;
        foreach (var field in selections)
        {
            if (!Types.TryGetValue(type, out var fields) || !fields.TryGetValue(field.Name, out var fieldType) || fieldType.Kind == Kind.Scalar)
            {
                continue;
            }
            var children = fieldType.Kind == Kind.Connection ? FakeShopifyExecutor.NodeSelections(field) : field.Selections;
            var (inner, innerDepth) = Connections(fieldType.Type!, children, fieldType.Kind == Kind.Connection ? depth + 1 : depth);
            count += inner + (fieldType.Kind == Kind.Connection ? 1 : 0);
            deepest = Math.Max(deepest, Math.Max(innerDepth, fieldType.Kind == Kind.Connection ? depth + 1 : depth));
        }
        return (count, deepest);
    }

    /// <summary>Also advances the operation's status as Shopify's would between polls.</summary>
    public static void Poll(FakeShopifyAdmin admin, FakeBulkOperation operation, DateTimeOffset now)
    {
        lock (operation)
        {
            operation.Polls++;
            if (operation.Status == "CREATED")
            {
                operation.Status = "RUNNING";
            }
            else if (operation.Status == "RUNNING" && operation.Generated && operation.Polls >= admin.BulkPollsUntilDone)
            {
                operation.Status = operation.ErrorCode is null ? "COMPLETED" : "FAILED";
                operation.CompletedAt = now;
            }
        }
    }

    private static void Generate(FakeBulkOperation operation, FakeShopifyCatalog catalog, GqlField root, bool allOrders, DateTimeOffset now, bool childrenLast)
    {
        var path = Path.Combine(Path.GetTempPath(), "fake-shopify-bulk-" + operation.DownloadToken + ".jsonl");
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            long objects = 0, roots = 0;
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16))
            {
                var buffer = new ArrayBufferWriter<byte>(4096);
                using var writer = new Utf8JsonWriter(buffer);
                var later = new List<byte[]>();
                // Like Shopify's, the result is no snapshot: the catalog is locked per object, so several operations
                // are prepared side by side and the shop can change meanwhile.
                var executor = new FakeShopifyExecutor(catalog, allOrders, now) { Bulk = true };
                string nodeType;
                List<object> items;
                lock (catalog)
                {
                    (nodeType, items) = executor.RootConnection(root);
                }
                var selections = FakeShopifyExecutor.NodeSelections(root);
                void Emit(string type, object item, IReadOnlyList<GqlField> fields, string? parentId)
                {
                    buffer.Clear();
                    writer.Reset(buffer);
                    executor.Deferred.Clear();
                    executor.WriteObject(writer, type, item, fields, null, parentId);
                    writer.Flush();
                    if (childrenLast && parentId is not null)
                    {
                        later.Add(buffer.WrittenSpan.ToArray());
                    }
                    else
                    {
                        file.Write(buffer.WrittenSpan);
                        file.WriteByte((byte)'\n');
                    }
                    objects++;
                    var deferred = executor.Deferred.ToList();
                    foreach (var connection in deferred)
                    {
                        foreach (var child in connection.Items)
                        {
                            Emit(connection.NodeType, child, connection.NodeSelections, connection.ParentGid);
                        }
                    }
                }

                foreach (var item in items)
                {
                    lock (catalog)
                    {
                        Emit(nodeType, item, selections, null);
                    }
                    roots++;
                }
                foreach (var row in later)
                {
                    file.Write(row);
                    file.WriteByte((byte)'\n');
                }
            }
            lock (operation)
            {
                operation.FilePath = path;
                operation.ObjectCount = objects;
                operation.RootObjectCount = roots;
                operation.FileSize = new FileInfo(path).Length;
                operation.GenerationTime = stopwatch.Elapsed;
                operation.Generated = true;
            }
        }
        catch (Exception e) when (e is IOException or GqlException or InvalidOperationException)
        {
            lock (operation)
            {
                operation.ErrorCode = "INTERNAL_SERVER_ERROR";
                operation.Generated = true;
            }
        }
    }
}
