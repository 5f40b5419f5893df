namespace AdIntel.Web.Brain.Planner;

/// <summary>How an entity's attributed purchase value answers its daily spend: what the budget planner optimises over.</summary>
public interface ISpendResponse
{
    /// <summary>Expected attributed purchase value per day at <paramref name="spend"/> per day.</summary>
    double Value(double spend);

    /// <summary>d value / d spend: the purchase value the next unit of spend brings (marginal ROAS).</summary>
    double Marginal(double spend);
}

/// <summary>
/// value(spend) = <see cref="A"/> · ln(1 + spend / <see cref="B"/>): zero at zero spend, concave, never flat. Its
/// marginal ROAS a ÷ (b + spend) starts at a ÷ b and halves by the time spend reaches b, so <see cref="B"/> reads as
/// "where returns have halved" and a ÷ b as the first dollar's ROAS.
/// </summary>
public sealed record LogSpendResponse(double A, double B) : ISpendResponse
{
    public double Value(double spend) => A * Math.Log(1 + spend / B);

    public double Marginal(double spend) => A / (B + spend);

    /// <summary>value ÷ spend; the first dollar's ROAS at zero spend.</summary>
    public double AverageRoas(double spend) => spend > 0 ? Value(spend) / spend : A / B;

    /// <summary>
    /// Elasticity of value to spend (marginal ÷ average ROAS): 1 = every dollar earns as much as the average one
    /// (no diminishing returns), 0 = more spend brings nothing more.
    /// </summary>
    public double Elasticity(double spend) => spend > 0 && Value(spend) > 0 ? Marginal(spend) / AverageRoas(spend) : 1;
}
