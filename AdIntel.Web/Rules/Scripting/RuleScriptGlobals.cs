using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Scripting;

/// <summary>
/// What a C# rule script sees besides its own code: its members are in scope as plain names (<c>Entity.Name</c>,
/// <c>Value("roas_7d")</c>). The catalogue names a script uses (<c>roas_7d</c>, <c>status</c>, <c>in_learning</c>)
/// are declared for it from these accessors, so most scripts never call them; they serve names built at run time.
/// One instance per judged entity.
/// </summary>
public sealed class RuleScriptGlobals
{
    private readonly double[] _row;

    internal RuleScriptGlobals(double[] row, EntitySnapshot? entity)
    {
        _row = row;
        Entity = entity;
    }

    /// <summary>
    /// The entity being judged: name, ids, scope, start date, last significant edit and daily delivery history.
    /// Null when a script is judged over a bare snapshot row (the compiler's own checks and tests).
    /// </summary>
    public EntitySnapshot? Entity { get; }

    /// <summary>A number variable of the catalogue by name (any letter case); null when missing.</summary>
    /// <exception cref="ArgumentException">No such variable, or it is not a number (use <see cref="Flag"/>, <see cref="Text"/>).</exception>
    public double? Value(string name) => RuleOps.ToNullable(_row[Slot(name, RuleValueType.Number)]);

    /// <summary>A true/false variable of the catalogue (<c>in_learning</c>).</summary>
    public bool Flag(string name) => _row[Slot(name, RuleValueType.Boolean)] != 0;

    /// <summary>A text variable of the catalogue (<c>status</c>: <c>"ACTIVE"</c>, <c>"PAUSED"</c>, <c>"ARCHIVED"</c>, else <c>"UNKNOWN"</c>).</summary>
    public string Text(string name)
    {
        var code = (int)_row[Slot(name, RuleValueType.Text)];
        return code >= 1 && code <= RuleVariableCatalogue.StatusValues.Count ? RuleVariableCatalogue.StatusValues[code - 1] : "UNKNOWN";
    }

    private static int Slot(string name, RuleValueType type)
    {
        var variable = RuleVariableCatalogue.Find(name) ?? throw new ArgumentException($"There is no rule variable named {name}.", nameof(name));
        return variable.Type == type
            ? variable.Slot
            : throw new ArgumentException($"{variable.Name} is {variable.Type.ToString().ToLowerInvariant()}, not {type.ToString().ToLowerInvariant()}.", nameof(name));
    }
}
