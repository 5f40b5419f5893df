using System.Data.Common;
using System.Reflection;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// Multi-row INSERTs (on SQLite one reused prepared statement per table) for large batches (demo seeding, imports,
/// backfills), 10–50× faster than change tracking.
/// Columns, names and value conversions come from the EF model, so it writes exactly what EF would. Keys are
/// assigned here (max id + 1) under a lock so related rows can be linked before insertion.
/// </summary>
public static class BulkWriter
{
    private const int MaxParametersPerStatement = 30_000;
    private const int MaxRowsPerStatement = 500;

    public static async Task InsertAsync<T>(AdIntelDbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = entityType.GetTableName()!;
        var storeObject = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var key = entityType.FindPrimaryKey()!.Properties.Single();
        var columns = entityType.GetProperties().Where(p => !p.IsShadowProperty()).ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var isPostgres = db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;

        StampStore(db, rows);

        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var quotedTable = sql.DelimitIdentifier(table);
            var quotedKey = sql.DelimitIdentifier(key.GetColumnName(storeObject)!);
            if (isPostgres)
            {
                // Serialise id assignment between app instances sharing the database.
                // Identifiers come from the EF model, never from input.
                var lockTable = $"LOCK TABLE {quotedTable} IN SHARE ROW EXCLUSIVE MODE";
                await db.Database.ExecuteSqlRawAsync(lockTable, cancellationToken);
            }
            await AssignKeysAsync(db, rows, key, quotedTable, quotedKey, cancellationToken);

            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            // SQLite binds parameters by name with a linear search, so a statement with P parameters costs O(P²):
            // there one reused single-row statement is ~100x faster than multi-row INSERTs (20k rows of 24 columns:
            // 0.13 s against 13 s CPU). PostgreSQL binds by position and gains from multi-row statements.
            var rowsPerStatement = isPostgres ? Math.Max(1, Math.Min(MaxRowsPerStatement, MaxParametersPerStatement / columns.Length)) : 1;
            var columnList = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(storeObject)!)));
            var getters = columns.Select(c => c.PropertyInfo ?? throw new InvalidOperationException($"{c.Name} has no CLR property.")).ToArray();
            var mappings = columns.Select(c => (RelationalTypeMapping)c.GetRelationalTypeMapping()).ToArray();

            DbCommand? fullBatch = null;
            try
            {
                for (var start = 0; start < rows.Count; start += rowsPerStatement)
                {
                    var count = Math.Min(rowsPerStatement, rows.Count - start);
                    DbCommand command;
                    if (count == rowsPerStatement)
                    {
                        fullBatch ??= CreateInsert(connection, transaction, quotedTable, columnList, mappings, count);
                        command = fullBatch;
                    }
                    else
                    {
                        command = CreateInsert(connection, transaction, quotedTable, columnList, mappings, count);
                    }
                    Bind(command, rows, start, count, getters, mappings);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    if (!ReferenceEquals(command, fullBatch))
                    {
                        await command.DisposeAsync();
                    }
                }
            }
            finally
            {
                if (fullBatch is not null)
                {
                    await fullBatch.DisposeAsync();
                }
            }

            if (isPostgres)
            {
                var advanceSequence =
                    $"SELECT setval(pg_get_serial_sequence('{quotedTable}', '{key.GetColumnName(storeObject)}'), (SELECT MAX({quotedKey}) FROM {quotedTable}))";
                await db.Database.ExecuteSqlRawAsync(advanceSequence, cancellationToken);
            }
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    private static void StampStore<T>(AdIntelDbContext db, IReadOnlyList<T> rows)
    {
        if (!typeof(IStoreOwned).IsAssignableFrom(typeof(T)))
        {
            return;
        }
        var storeId = db.StoreContext.RequiredStoreId;
        foreach (IStoreOwned row in rows.Cast<IStoreOwned>())
        {
            if (row.StoreId == 0)
            {
                row.StoreId = storeId;
            }
            else if (row.StoreId != storeId)
            {
                throw new InvalidOperationException("A row of another store cannot be written in this scope.");
            }
        }
    }

    private static async Task AssignKeysAsync<T>(AdIntelDbContext db, IReadOnlyList<T> rows, IProperty key, string table, string keyColumn,
        CancellationToken cancellationToken)
    {
        var keyProperty = key.PropertyInfo!;
        if (keyProperty.PropertyType != typeof(long))
        {
            throw new InvalidOperationException("BulkWriter assigns long keys only.");
        }
        var command = db.Database.GetDbConnection().CreateCommand();
        await using (command)
        {
            command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            command.CommandText = $"SELECT COALESCE(MAX({keyColumn}), 0) FROM {table}";
            var next = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var row in rows)
            {
                if ((long)keyProperty.GetValue(row)! == 0)
                {
                    keyProperty.SetValue(row, ++next);
                }
            }
        }
    }

    private static DbCommand CreateInsert(DbConnection connection, DbTransaction transaction, string table, string columnList,
        RelationalTypeMapping[] mappings, int rowCount)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var text = new System.Text.StringBuilder($"INSERT INTO {table} ({columnList}) VALUES ");
        for (var r = 0; r < rowCount; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < mappings.Length; c++)
            {
                var name = $"@p{r}_{c}";
                text.Append(c == 0 ? name : ", " + name);
                command.Parameters.Add(mappings[c].CreateParameter(command, name, null));
            }
            text.Append(')');
        }
        command.CommandText = text.ToString();
        return command;
    }

    private static void Bind<T>(DbCommand command, IReadOnlyList<T> rows, int start, int count, PropertyInfo[] getters, RelationalTypeMapping[] mappings)
    {
        var parameter = 0;
        for (var r = 0; r < count; r++)
        {
            var row = rows[start + r]!;
            for (var c = 0; c < getters.Length; c++)
            {
                var value = getters[c].GetValue(row);
                if (value is not null && mappings[c].Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                command.Parameters[parameter++].Value = value ?? DBNull.Value;
            }
        }
    }
}
