namespace AdIntel.Web.Rules.Expressions;

/// <summary>The three kinds of values an expression handles.</summary>
public enum RuleValueType
{
    /// <summary>A number that may be missing (null), e.g. a ratio whose denominator is zero.</summary>
    Number,

    /// <summary>True or false; never missing (a comparison with a missing value is false).</summary>
    Boolean,

    /// <summary>A quoted word from a fixed list (the entity status), compared with == or != only.</summary>
    Text,
}

/// <summary>How a number is shown and what it measures; the editor formats values with it.</summary>
public enum RuleUnit
{
    /// <summary>Store currency.</summary>
    Money,
    /// <summary>A count of things (impressions, purchases, days).</summary>
    Count,
    /// <summary>A multiple, e.g. ROAS 2.5 means 2.5 × spend.</summary>
    Ratio,
    /// <summary>A fraction between 0 and 1 (CTR 0.012 is 1.2%).</summary>
    Fraction,
    /// <summary>True or false, 1 or 0 in plugin values.</summary>
    Flag,
    /// <summary>A word (the status).</summary>
    Text,
}
