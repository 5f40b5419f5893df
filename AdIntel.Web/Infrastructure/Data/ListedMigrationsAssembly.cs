using System.Reflection;
using System.Reflection.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;

namespace AdIntel.Web.Infrastructure.Data;

#pragma warning disable EF1001 // EF Core's own lookup, given the migrations' types instead of every type of the assembly.
/// <summary>
/// EF Core finds migrations and the model snapshot among every type of the assembly, which loads all of the app's
/// 4,000 types (and Roslyn, which the script compiler's types derive from) into every process at start. This lookup
/// reads the type names from the assembly's metadata and loads only those of the migrations' namespaces; what it keeps
/// of them is EF Core's rule (the context's <see cref="DbContextAttribute"/>, ordered by migration id).
/// </summary>
public sealed class ListedMigrationsAssembly(
    ICurrentDbContext currentContext,
    IDbContextOptions options,
    IMigrationsIdGenerator idGenerator,
    IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationsAssembly(currentContext, options, idGenerator, logger)
{
    private const string MigrationsNamespace = "AdIntel.Web.Infrastructure.Data.Migrations";

    private readonly Type _contextType = currentContext.Context.GetType();
    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private Lazy<ModelSnapshot?>? _snapshot;

    public override IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations ??= new SortedList<string, TypeInfo>(
        OfThisContext().Where(t => t.IsSubclassOf(typeof(Migration)))
            .Select(t => (Id: t.GetCustomAttribute<MigrationAttribute>()?.Id, Type: t))
            .Where(m => m.Id is not null)
            .ToDictionary(m => m.Id!, m => m.Type));

    public override ModelSnapshot? ModelSnapshot => (_snapshot ??= new(() => OfThisContext()
        .Where(t => t.IsSubclassOf(typeof(ModelSnapshot)))
        .Select(t => (ModelSnapshot)Activator.CreateInstance(t)!)
        .FirstOrDefault())).Value;

    private IEnumerable<TypeInfo> OfThisContext() =>
        MigrationTypes(Assembly).Where(t => t.GetCustomAttribute<DbContextAttribute>()?.ContextType == _contextType);

    private static unsafe List<TypeInfo> MigrationTypes(Assembly assembly)
    {
        if (!assembly.TryGetRawMetadata(out var blob, out var length))
        {
            throw new InvalidOperationException($"{assembly.GetName().Name} has no metadata to read the migrations from.");
        }
        var reader = new MetadataReader(blob, length);
        var types = new List<TypeInfo>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var definition = reader.GetTypeDefinition(handle);
            var ns = reader.GetString(definition.Namespace);
            if (ns.StartsWith(MigrationsNamespace, StringComparison.Ordinal)
                && assembly.GetType(ns + "." + reader.GetString(definition.Name)) is { IsAbstract: false, IsGenericTypeDefinition: false } type)
            {
                types.Add(type.GetTypeInfo());
            }
        }
        return types;
    }
}
#pragma warning restore EF1001
