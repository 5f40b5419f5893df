using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// What <see cref="BulkWriter"/> needs to write entity <typeparamref name="T"/> in one EF model: quoted names, the
/// column list, and compiled accessors — the key and, for each column's value converted to its provider type (value
/// converters inlined), a typed SQLite binding and a typed PostgreSQL binary COPY write per column — built once per model
/// instead of reflection and boxing on every value.
/// </summary>
internal sealed class BulkTable<T> where T : class
{
    private static readonly ConditionalWeakTable<IModel, BulkTable<T>> Tables = new();

    private BulkTable(string quotedTable, string quotedKey, string keyColumn, string columnList, RelationalTypeMapping[] mappings,
        Func<T, long> getKey, Action<T, long> setKey, Action<T, SqliteRowBinder> bindSqlite,
        Lazy<Action<T, PostgresCopyBuffer>> writePostgres)
    {
        QuotedTable = quotedTable;
        QuotedKey = quotedKey;
        KeyColumn = keyColumn;
        ColumnList = columnList;
        Mappings = mappings;
        GetKey = getKey;
        SetKey = setKey;
        BindSqlite = bindSqlite;
        this.writePostgres = writePostgres;
    }

    private readonly Lazy<Action<T, PostgresCopyBuffer>> writePostgres;

    public string QuotedTable { get; }
    public string QuotedKey { get; }
    /// <summary>The key's column name, unquoted (PostgreSQL's pg_get_serial_sequence wants it so).</summary>
    public string KeyColumn { get; }
    /// <summary>Every mapped column, quoted, in model order.</summary>
    public string ColumnList { get; }
    public RelationalTypeMapping[] Mappings { get; }
    public int ColumnCount => Mappings.Length;
    public Func<T, long> GetKey { get; }
    public Action<T, long> SetKey { get; }
    /// <summary>Binds every column of a row to parameters 1…n of a single-row INSERT.</summary>
    public Action<T, SqliteRowBinder> BindSqlite { get; }
    /// <summary>Writes a row (its start and every column, in <see cref="ColumnList"/> order) in binary COPY format.</summary>
    public Action<T, PostgresCopyBuffer> WritePostgres => writePostgres.Value;

    public static BulkTable<T> For(DbContext db) => Tables.TryGetValue(db.Model, out var table) ? table : Tables.GetValue(db.Model, _ => Build(db));

    private static BulkTable<T> Build(DbContext db)
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = entityType.GetTableName()!;
        var storeObject = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var key = entityType.FindPrimaryKey()!.Properties.Single();
        if (key.PropertyInfo?.PropertyType != typeof(long))
        {
            throw new InvalidOperationException("BulkWriter assigns long keys only.");
        }
        var columns = entityType.GetProperties().Where(p => !p.IsShadowProperty()).ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var mappings = columns.Select(c => (RelationalTypeMapping)c.GetRelationalTypeMapping()).ToArray();

        var row = Expression.Parameter(typeof(T), "row");
        var keyValue = Expression.Parameter(typeof(long), "key");
        var getKey = Expression.Lambda<Func<T, long>>(Expression.Property(row, key.PropertyInfo), row).Compile();
        var setKey = Expression.Lambda<Action<T, long>>(Expression.Assign(Expression.Property(row, key.PropertyInfo), keyValue), row, keyValue).Compile();

        var binder = Expression.Parameter(typeof(SqliteRowBinder), "binder");
        var binds = new List<Expression>(columns.Length);
        var values = new Expression[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var property = columns[c].PropertyInfo ?? throw new InvalidOperationException($"{columns[c].Name} has no CLR property.");
            var value = ProviderValue(Expression.Property(row, property), mappings[c].Converter);
            values[c] = value;
            binds.Add(BindSqliteValue(binder, c + 1, value));
        }
        var bindSqlite = Expression.Lambda<Action<T, SqliteRowBinder>>(Expression.Block(binds), row, binder).Compile();
        // Built on first use, on PostgreSQL only: SQLite's store types mean nothing to it.
        var writePostgres = new Lazy<Action<T, PostgresCopyBuffer>>(() =>
        {
            var buffer = Expression.Parameter(typeof(PostgresCopyBuffer), "buffer");
            var startRow = Expression.Call(buffer, typeof(PostgresCopyBuffer).GetMethod(nameof(PostgresCopyBuffer.StartRow))!, Expression.Constant(columns.Length));
            var writes = values.Select((value, c) => WritePostgresValue(buffer, value, mappings[c].StoreType));
            return Expression.Lambda<Action<T, PostgresCopyBuffer>>(Expression.Block(writes.Prepend(startRow)), row, buffer).Compile();
        });

        return new BulkTable<T>(
            sql.DelimitIdentifier(table),
            sql.DelimitIdentifier(key.GetColumnName(storeObject)!),
            key.GetColumnName(storeObject)!,
            string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(storeObject)!))),
            mappings, getKey, setKey, bindSqlite, writePostgres);
    }

    /// <summary>
    /// The <see cref="PostgresCopyBuffer"/> method writing a value of a PostgreSQL column type (binary COPY sends each value
    /// in exactly its column's format), or <c>Null()</c>.
    /// </summary>
    private static Expression WritePostgresValue(ParameterExpression buffer, Expression value, string storeType)
    {
        var facets = storeType.IndexOf('(', StringComparison.Ordinal);
        var name = facets < 0 ? storeType : storeType[..facets];
        var valueType = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
        var (method, argumentType) = name switch
        {
            "bigint" => (nameof(PostgresCopyBuffer.Int64), typeof(long)),
            "integer" => (nameof(PostgresCopyBuffer.Int32), typeof(int)),
            "smallint" => (nameof(PostgresCopyBuffer.Int16), typeof(short)),
            "boolean" => (nameof(PostgresCopyBuffer.Boolean), typeof(bool)),
            "numeric" => (nameof(PostgresCopyBuffer.Numeric), typeof(decimal)),
            "double precision" => (nameof(PostgresCopyBuffer.Double), typeof(double)),
            "real" => (nameof(PostgresCopyBuffer.Real), typeof(float)),
            "text" or "character varying" => (nameof(PostgresCopyBuffer.Text), typeof(string)),
            "text[]" => (nameof(PostgresCopyBuffer.TextArray), typeof(IReadOnlyList<string?>)),
            "bytea" => (nameof(PostgresCopyBuffer.Bytea), typeof(byte[])),
            "date" => (nameof(PostgresCopyBuffer.Date), typeof(DateOnly)),
            "time without time zone" => (nameof(PostgresCopyBuffer.Time), valueType == typeof(TimeSpan) ? typeof(TimeSpan) : typeof(TimeOnly)),
            "timestamp with time zone" => (nameof(PostgresCopyBuffer.TimestampTz), valueType == typeof(DateTimeOffset) ? typeof(DateTimeOffset) : typeof(DateTime)),
            "timestamp without time zone" => (nameof(PostgresCopyBuffer.Timestamp), typeof(DateTime)),
            _ => throw new NotSupportedException($"BulkWriter has no PostgreSQL COPY format for columns of type {storeType}."),
        };
        var write = (Expression argument) => Expression.Call(buffer, typeof(PostgresCopyBuffer).GetMethod(method, [argumentType])!,
            argument.Type == argumentType ? argument : Expression.Convert(argument, argumentType));
        var writeNull = Expression.Call(buffer, typeof(PostgresCopyBuffer).GetMethod(nameof(PostgresCopyBuffer.Null))!);
        if (value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null)
        {
            return write(value);
        }
        var local = Expression.Variable(value.Type, "value");
        var isValueType = value.Type.IsValueType;
        var hasValue = isValueType ? Expression.Property(local, "HasValue") : (Expression)Expression.NotEqual(local, Expression.Constant(null, value.Type));
        var nonNull = isValueType ? Expression.Property(local, "Value") : (Expression)local;
        return Expression.Block([local],
            Expression.Assign(local, value),
            Expression.IfThenElse(hasValue, write(nonNull), writeNull));
    }

    /// <summary>
    /// The property's value as the provider gets it: through the column's value converter when it has one (null stays
    /// null, as EF never converts nulls), typed as the provider type (nullable when the property can be null).
    /// </summary>
    private static Expression ProviderValue(Expression value, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? converter)
    {
        if (converter is null)
        {
            return value;
        }
        var convert = converter.ConvertToProviderExpression;
        var modelType = convert.Parameters[0].Type;
        var providerType = convert.ReturnType;
        var underlying = Nullable.GetUnderlyingType(value.Type);
        if (underlying is null && value.Type.IsValueType)
        {
            return Expression.Invoke(convert, Expression.Convert(value, modelType));
        }
        var resultType = providerType.IsValueType && Nullable.GetUnderlyingType(providerType) is null
            ? typeof(Nullable<>).MakeGenericType(providerType)
            : providerType;
        var local = Expression.Variable(value.Type, "value");
        var hasValue = underlying is null ? (Expression)Expression.NotEqual(local, Expression.Constant(null, value.Type)) : Expression.Property(local, "HasValue");
        var nonNull = underlying is null ? (Expression)local : Expression.Property(local, "Value");
        return Expression.Block(resultType, [local],
            Expression.Assign(local, value),
            Expression.Condition(hasValue,
                Expression.Convert(Expression.Invoke(convert, Expression.Convert(nonNull, modelType)), resultType),
                Expression.Constant(null, resultType)));
    }

    /// <summary>A call of the <see cref="SqliteRowBinder"/> method for the value's provider type; null checked first when it can be null.</summary>
    private static Expression BindSqliteValue(ParameterExpression binder, int index, Expression value)
    {
        var type = Nullable.GetUnderlyingType(value.Type) ?? value.Type;
        var (method, argumentType) = type switch
        {
            _ when type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) => (nameof(SqliteRowBinder.Int64), typeof(long)),
            _ when type == typeof(bool) => (nameof(SqliteRowBinder.Boolean), typeof(bool)),
            _ when type == typeof(double) || type == typeof(float) => (nameof(SqliteRowBinder.Double), typeof(double)),
            _ when type == typeof(decimal) => (nameof(SqliteRowBinder.Decimal), typeof(decimal)),
            _ when type == typeof(DateTime) => (nameof(SqliteRowBinder.DateTime), typeof(DateTime)),
            _ when type == typeof(DateOnly) => (nameof(SqliteRowBinder.DateOnly), typeof(DateOnly)),
            _ when type == typeof(string) => (nameof(SqliteRowBinder.Text), typeof(string)),
            _ when type == typeof(byte[]) => (nameof(SqliteRowBinder.Blob), typeof(byte[])),
            _ => (nameof(SqliteRowBinder.Boxed), typeof(object)),
        };
        var indexConstant = Expression.Constant(index);
        var call = (Expression argument) => Expression.Call(binder, typeof(SqliteRowBinder).GetMethod(method, BindingFlags.Public | BindingFlags.Instance)!,
            indexConstant, Expression.Convert(argument, argumentType));
        if (Nullable.GetUnderlyingType(value.Type) is null)
        {
            // Reference types (string, byte[], boxed) handle null themselves.
            return call(value);
        }
        var local = Expression.Variable(value.Type, "value");
        return Expression.Block([local],
            Expression.Assign(local, value),
            Expression.IfThenElse(Expression.Property(local, "HasValue"),
                call(Expression.Property(local, "Value")),
                Expression.Call(binder, typeof(SqliteRowBinder).GetMethod(nameof(SqliteRowBinder.Null))!, indexConstant)));
    }
}
