using AdIntel.Web.Rules.Actions;
using MathNet.Numerics.Statistics;

namespace AdIntel.Web.Brain.Planner;

/// <summary>
/// One daily budget the planner may move: its current budget, what it spends per day now, its fitted curve and the
/// curves of the fit's bootstrap resamples (the same count for every holder).
/// </summary>
public sealed record BudgetHolder(string Key, decimal Budget, double Spend, ISpendResponse Curve, IReadOnlyList<ISpendResponse> Resamples)
{
    /// <summary>Spend per unit of budget: spend is assumed to follow the budget in proportion.</summary>
    public double Delivery => Spend / (double)Budget;
}

/// <summary>A holder's proposed budget and what it is expected to do to the day's profit.</summary>
/// <param name="MarginalProfit">Profit per extra unit of spend at today's spend: marginal ROAS × margin ratio − 1.</param>
/// <param name="NewMarginalProfit">The same at the proposed spend.</param>
public sealed record BudgetChange(string Key, decimal Budget, decimal NewBudget, double Spend, double NewSpend, double MarginalProfit,
    double NewMarginalProfit, double ExpectedProfitChange)
{
    public decimal Amount => NewBudget - Budget;
}

/// <summary>
/// Budget moved from one holder to another, with the expected change in daily profit (fitted curves), its 5–95 % band
/// and the share of bootstrap resamples in which the move gains.
/// </summary>
public sealed record BudgetMove(string From, string To, decimal Amount, double ExpectedProfitChange, double Low, double High, double ProbabilityPositive);

public sealed record BudgetAllocation(IReadOnlyList<BudgetChange> Changes, IReadOnlyList<BudgetMove> Moves, double ExpectedProfitChange,
    double Low, double High, double ProbabilityPositive)
{
    public static BudgetAllocation Empty { get; } = new([], [], 0, 0, 0, 0);
}

/// <summary>
/// Reallocates daily budgets to maximise expected profit, Σ (margin ratio × value(spend) − spend), under the rails:
/// the total budget stays the same and every budget stays within the daily budget-change limit around today's
/// (<see cref="SafetyRails.BudgetBounds"/>). With concave curves the optimum equalises marginal profit per unit of budget
/// across the holders that are not held at a limit; it is found by bisection on that common marginal (λ), each holder's
/// budget being where its own marginal equals λ, clipped to its limits. Budget therefore flows from the lowest marginal
/// profit to the highest until they meet or the limits stop it. Changes smaller than <see cref="MinChange"/> are not
/// worth an edit: such a holder keeps its budget and the rest is solved again. Moves pair the holders that give (lowest
/// marginal profit first) with those that receive (highest first); each move's expected profit change is computed on
/// the curves in sequence, so the moves add up to the whole plan's.
/// </summary>
public static class BudgetAllocator
{
    /// <summary>Smallest budget change worth proposing, in store currency.</summary>
    public const decimal MinChange = 1m;

    /// <summary>Share of the bootstrap resamples in which a move must gain for it to be proposed.</summary>
    public const double MinConfidence = 0.8;

    private const int Iterations = 100;

    public static BudgetAllocation Allocate(IReadOnlyList<BudgetHolder> holders, double marginRatio, decimal maxChangePercent, double minConfidence = MinConfidence)
    {
        var usable = holders.Where(h => h.Budget > 0 && h.Spend > 0).ToList();
        if (usable.Count < 2 || maxChangePercent <= 0)
        {
            return BudgetAllocation.Empty;
        }
        var bounds = usable.ToDictionary(h => h.Key, h => SafetyRails.BudgetBounds(h.Budget, maxChangePercent));
        var proposed = usable.ToDictionary(h => h.Key, h => (double)h.Budget);
        var free = usable.ToList();
        while (free.Count >= 2)
        {
            var solved = Solve(free, bounds, marginRatio);
            var smallest = free.Where(h => Math.Abs(solved[h.Key] - (double)h.Budget) < (double)MinChange)
                .OrderBy(h => Math.Abs(solved[h.Key] - (double)h.Budget)).FirstOrDefault();
            if (smallest is null)
            {
                foreach (var (key, budget) in solved)
                {
                    proposed[key] = budget;
                }
                break;
            }
            free.Remove(smallest);
        }

        var newBudgets = RoundKeepingTotal(usable, proposed, bounds);
        var marginals = usable.ToDictionary(h => h.Key, h => MarginalProfit(h.Curve, h.Spend, marginRatio));
        var transfers = PairTransfers(usable, newBudgets, marginals);
        List<BudgetMove> moves;
        while (true)
        {
            moves = Evaluate(usable, transfers, marginRatio);
            var unsure = moves.Where(m => m.ProbabilityPositive < minConfidence).Select(m => (m.From, m.To)).ToHashSet();
            if (unsure.Count == 0)
            {
                break;
            }
            transfers = transfers.Where(t => !unsure.Contains((t.From, t.To))).ToList();
        }

        var changes = usable.Select(h =>
        {
            var newBudget = h.Budget - moves.Where(m => m.From == h.Key).Sum(m => m.Amount) + moves.Where(m => m.To == h.Key).Sum(m => m.Amount);
            var newSpend = h.Delivery * (double)newBudget;
            return new BudgetChange(h.Key, h.Budget, newBudget, h.Spend, newSpend, marginals[h.Key], MarginalProfit(h.Curve, newSpend, marginRatio),
                Profit(h, h.Curve, (double)newBudget, marginRatio) - Profit(h, h.Curve, (double)h.Budget, marginRatio));
        }).ToList();
        if (moves.Count == 0)
        {
            return BudgetAllocation.Empty with { Changes = changes };
        }
        var resampleTotals = Enumerable.Range(0, ResampleCount(usable))
            .Select(r => usable.Zip(changes).Sum(pair =>
                Profit(pair.First, pair.First.Resamples[r], (double)pair.Second.NewBudget, marginRatio) - Profit(pair.First, pair.First.Resamples[r], (double)pair.Second.Budget, marginRatio)))
            .ToArray();
        var (low, high, positive) = Summarise(resampleTotals);
        return new BudgetAllocation(changes, moves, changes.Sum(c => c.ExpectedProfitChange), low, high, positive);
    }

    /// <summary>Profit per extra unit of spend: marginal ROAS × margin ratio − 1.</summary>
    public static double MarginalProfit(ISpendResponse curve, double spend, double marginRatio) => curve.Marginal(spend) * marginRatio - 1;

    /// <summary>The day's expected profit of a holder at <paramref name="budget"/>: margin on the value its spend brings, less the spend.</summary>
    public static double Profit(BudgetHolder holder, ISpendResponse curve, double budget, double marginRatio)
    {
        var spend = holder.Delivery * budget;
        return marginRatio * curve.Value(spend) - spend;
    }

    /// <summary>Budgets with equal marginal profit per unit of budget (λ) where not held at a limit, summing to today's total.</summary>
    private static Dictionary<string, double> Solve(IReadOnlyList<BudgetHolder> free, IReadOnlyDictionary<string, (decimal Low, decimal High)> bounds,
        double marginRatio)
    {
        double Slope(BudgetHolder h, double budget) => h.Delivery * MarginalProfit(h.Curve, h.Delivery * budget, marginRatio);

        double BudgetAt(BudgetHolder h, double lambda)
        {
            var (lowLimit, highLimit) = bounds[h.Key];
            double low = (double)lowLimit, high = (double)highLimit;
            if (Slope(h, low) <= lambda)
            {
                return low;
            }
            if (Slope(h, high) >= lambda)
            {
                return high;
            }
            for (var i = 0; i < Iterations; i++)
            {
                var middle = (low + high) / 2;
                if (Slope(h, middle) > lambda)
                {
                    low = middle;
                }
                else
                {
                    high = middle;
                }
            }
            return (low + high) / 2;
        }

        var total = free.Sum(h => (double)h.Budget);
        var lambdaLow = free.Min(h => Slope(h, (double)bounds[h.Key].High));
        var lambdaHigh = free.Max(h => Slope(h, (double)bounds[h.Key].Low));
        for (var i = 0; i < Iterations; i++)
        {
            var lambda = (lambdaLow + lambdaHigh) / 2;
            // A higher common marginal means smaller budgets.
            if (free.Sum(h => BudgetAt(h, lambda)) > total)
            {
                lambdaLow = lambda;
            }
            else
            {
                lambdaHigh = lambda;
            }
        }
        var solution = free.ToDictionary(h => h.Key, h => BudgetAt(h, (lambdaLow + lambdaHigh) / 2));
        // Bisection leaves a sliver of the total unassigned; give it to a holder with room, so the total is exact.
        var gap = total - solution.Values.Sum();
        foreach (var h in free)
        {
            var (low, high) = bounds[h.Key];
            var room = Math.Clamp(solution[h.Key] + gap, (double)low, (double)high) - solution[h.Key];
            solution[h.Key] += room;
            gap -= room;
        }
        return solution;
    }

    /// <summary>Cents, with the rounding difference put on a changed holder that has room, so the total stays exactly today's.</summary>
    private static Dictionary<string, decimal> RoundKeepingTotal(IReadOnlyList<BudgetHolder> holders, IReadOnlyDictionary<string, double> proposed,
        IReadOnlyDictionary<string, (decimal Low, decimal High)> bounds)
    {
        var rounded = holders.ToDictionary(h => h.Key, h => Math.Clamp(Math.Round((decimal)proposed[h.Key], 2), bounds[h.Key].Low, bounds[h.Key].High));
        var gap = holders.Sum(h => h.Budget) - rounded.Values.Sum();
        foreach (var h in holders.Where(h => rounded[h.Key] != h.Budget).OrderByDescending(h => Math.Abs(rounded[h.Key] - h.Budget)))
        {
            if (gap == 0)
            {
                break;
            }
            var next = Math.Clamp(rounded[h.Key] + gap, bounds[h.Key].Low, bounds[h.Key].High);
            gap -= next - rounded[h.Key];
            rounded[h.Key] = next;
        }
        return rounded;
    }

    private sealed record Transfer(string From, string To, decimal Amount);

    /// <summary>Pairs the holders that give (lowest marginal profit first) with those that receive (highest first).</summary>
    private static List<Transfer> PairTransfers(IReadOnlyList<BudgetHolder> holders, IReadOnlyDictionary<string, decimal> newBudgets,
        IReadOnlyDictionary<string, double> marginals)
    {
        var givers = holders.Where(h => newBudgets[h.Key] < h.Budget).OrderBy(h => marginals[h.Key]).Select(h => (h.Key, Left: h.Budget - newBudgets[h.Key])).ToList();
        var takers = holders.Where(h => newBudgets[h.Key] > h.Budget).OrderByDescending(h => marginals[h.Key]).Select(h => (h.Key, Left: newBudgets[h.Key] - h.Budget)).ToList();
        var transfers = new List<Transfer>();
        for (int g = 0, t = 0; g < givers.Count && t < takers.Count;)
        {
            var amount = Math.Min(givers[g].Left, takers[t].Left);
            transfers.Add(new Transfer(givers[g].Key, takers[t].Key, amount));
            givers[g] = (givers[g].Key, givers[g].Left - amount);
            takers[t] = (takers[t].Key, takers[t].Left - amount);
            g += givers[g].Left == 0 ? 1 : 0;
            t += takers[t].Left == 0 ? 1 : 0;
        }
        return transfers;
    }

    /// <summary>Each transfer's profit change applied in order, on the fitted curves and on every resample's.</summary>
    private static List<BudgetMove> Evaluate(IReadOnlyList<BudgetHolder> holders, IReadOnlyList<Transfer> transfers, double marginRatio)
    {
        var byKey = holders.ToDictionary(h => h.Key);
        var budgets = holders.ToDictionary(h => h.Key, h => (double)h.Budget);
        var moves = new List<BudgetMove>(transfers.Count);
        foreach (var (from, to, amount) in transfers)
        {
            var (giver, taker) = (byKey[from], byKey[to]);
            double Gain(ISpendResponse giverCurve, ISpendResponse takerCurve) =>
                Profit(giver, giverCurve, budgets[from] - (double)amount, marginRatio) - Profit(giver, giverCurve, budgets[from], marginRatio)
                + Profit(taker, takerCurve, budgets[to] + (double)amount, marginRatio) - Profit(taker, takerCurve, budgets[to], marginRatio);
            var (low, high, positive) = Summarise(Enumerable.Range(0, ResampleCount(holders))
                .Select(r => Gain(giver.Resamples[r], taker.Resamples[r])).ToArray());
            moves.Add(new BudgetMove(from, to, amount, Gain(giver.Curve, taker.Curve), low, high, positive));
            budgets[from] -= (double)amount;
            budgets[to] += (double)amount;
        }
        return moves;
    }

    private static int ResampleCount(IReadOnlyList<BudgetHolder> holders) => holders.Min(h => h.Resamples.Count);

    private static (double Low, double High, double ProbabilityPositive) Summarise(double[] values)
    {
        if (values.Length == 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }
        Array.Sort(values);
        return (SortedArrayStatistics.Quantile(values, SpendResponseFitter.BandLow), SortedArrayStatistics.Quantile(values, SpendResponseFitter.BandHigh),
            values.Count(v => v > 0) / (double)values.Length);
    }
}
