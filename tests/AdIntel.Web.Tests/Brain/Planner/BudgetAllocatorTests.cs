using AdIntel.Web.Brain.Planner;

namespace AdIntel.Web.Tests.Brain.Planner;

/// <summary>
/// The reallocation against the true optimum, found independently by brute force over every budget split (in steps of
/// one dollar) that keeps the total and the ±20 % daily rail, on the true curves.
/// </summary>
public sealed class BudgetAllocatorTests
{
    private const double Margin = 0.35;
    private const double Delivery = 0.97;

    /// <summary>
    /// Stores of four entities (two ln curves, two Hill curves the planner does not fit) whose marginal profits at
    /// today's budgets are close to each other, so the optimum lies inside the rails; each fitted from 90 noisy days.
    /// </summary>
    [Fact]
    public void Allocation_on_fitted_curves_comes_within_five_percent_of_the_true_optimum()
    {
        double gained = 0, achievable = 0;
        for (var store = 0; store < 16; store++)
        {
            var (truths, budgets) = RandomStore(store);
            var holders = truths.Select((truth, i) =>
            {
                var spend = (double)budgets[i] * Delivery;
                var fit = SpendResponseFitter.Fit(new SyntheticEntity(truth, spend, 0.12, store * 10 + i).Days(), i);
                return new BudgetHolder(i.ToString(), budgets[i], spend, fit.Curve!, fit.Resamples);
            }).ToList();

            var allocation = BudgetAllocator.Allocate(holders, Margin, 20m);

            var proposed = allocation.Changes.OrderBy(c => c.Key).Select(c => (double)c.NewBudget).ToArray();
            var current = TrueProfit(truths, budgets.Select(b => (double)b).ToArray());
            var optimum = BruteForceOptimum(truths, budgets);
            Assert.Equal(budgets.Sum(), allocation.Changes.Sum(c => c.NewBudget));
            Assert.All(allocation.Changes, c => Assert.InRange(c.NewBudget, c.Budget * 0.8m, c.Budget * 1.2m));
            Assert.True(TrueProfit(truths, proposed) >= 0.95 * optimum, $"store {store}: {TrueProfit(truths, proposed):F1} against the optimum {optimum:F1}");
            // A wrong move costs little: never more than 1 % of the day's profit.
            Assert.True(TrueProfit(truths, proposed) >= current - 0.01 * Math.Abs(current), $"store {store}: {TrueProfit(truths, proposed):F1}, before {current:F1}");
            gained += TrueProfit(truths, proposed) - current;
            achievable += optimum - current;
        }
        // Over the stores, most of what reallocation can gain is gained.
        Assert.True(gained >= 0.5 * achievable, $"gained {gained:F1} of {achievable:F1}");
    }

    [Fact]
    public void Allocation_on_true_curves_finds_the_optimum_and_moves_from_lowest_to_highest_marginal_profit()
    {
        for (var store = 0; store < 6; store++)
        {
            var (truths, budgets) = RandomStore(store);
            var holders = truths.Select((truth, i) => new BudgetHolder(i.ToString(), budgets[i], (double)budgets[i] * Delivery, truth, [truth])).ToList();

            var allocation = BudgetAllocator.Allocate(holders, Margin, 20m, minConfidence: 0);

            var proposed = allocation.Changes.OrderBy(c => c.Key).Select(c => (double)c.NewBudget).ToArray();
            var optimum = BruteForceOptimum(truths, budgets);
            Assert.True(TrueProfit(truths, proposed) >= optimum - 0.05, $"store {store}: {TrueProfit(truths, proposed):F2} against {optimum:F2}");
            Assert.NotEmpty(allocation.Moves);
            var marginal = allocation.Changes.ToDictionary(c => c.Key, c => c.MarginalProfit);
            Assert.All(allocation.Moves, m => Assert.True(marginal[m.From] < marginal[m.To]));
            Assert.Equal(allocation.ExpectedProfitChange, allocation.Moves.Sum(m => m.ExpectedProfitChange), 6);
            Assert.True(allocation.ExpectedProfitChange > 0);
        }
    }

    [Fact]
    public void Allocation_respects_a_tighter_rail_and_proposes_nothing_without_one()
    {
        var (truths, budgets) = RandomStore(3);
        var holders = truths.Select((truth, i) => new BudgetHolder(i.ToString(), budgets[i], (double)budgets[i] * Delivery, truth, [truth])).ToList();

        var tight = BudgetAllocator.Allocate(holders, Margin, 5m, minConfidence: 0);
        var none = BudgetAllocator.Allocate(holders, Margin, 0m, minConfidence: 0);

        Assert.All(tight.Changes, c => Assert.InRange(c.NewBudget, c.Budget * 0.95m, c.Budget * 1.05m));
        Assert.Equal(budgets.Sum(), tight.Changes.Sum(c => c.NewBudget));
        Assert.Empty(none.Moves);
    }

    [Fact]
    public void Allocation_leaves_budgets_alone_when_no_move_is_likely_to_gain()
    {
        // Two identical entities: the data cannot say which deserves more.
        var truth = new LogSpendResponse(2000, 300);
        var holders = Enumerable.Range(0, 2).Select(i =>
        {
            var fit = SpendResponseFitter.Fit(new SyntheticEntity(truth, 291, 0.12, 100 + i).Days(), i);
            return new BudgetHolder(i.ToString(), 300m, 291, fit.Curve!, fit.Resamples);
        }).ToList();

        var allocation = BudgetAllocator.Allocate(holders, Margin, 20m);

        Assert.All(allocation.Moves, m => Assert.True(m.ProbabilityPositive >= BudgetAllocator.MinConfidence));
        Assert.All(allocation.Changes.Where(c => c.Amount == 0), c => Assert.Equal(0, c.ExpectedProfitChange));
    }

    /// <summary>Budgets of $50–500 and curves whose marginal profit at today's spend is within ±25 % of break-even.</summary>
    private static (ISpendResponse[] Truths, decimal[] Budgets) RandomStore(int seed)
    {
        var random = new Random(seed);
        var budgets = new decimal[4];
        var truths = new ISpendResponse[4];
        for (var i = 0; i < 4; i++)
        {
            budgets[i] = Math.Round((decimal)(50 + random.NextDouble() * 450));
            var spend = (double)budgets[i] * Delivery;
            var b = spend * Math.Exp(random.NextDouble() * 3 - 1.5);
            var marginalRoas = (1 + random.NextDouble() * 0.5 - 0.25) / Margin;
            truths[i] = i % 2 == 0
                ? new LogSpendResponse(marginalRoas * (b + spend), b)
                : new HillResponse(marginalRoas / new HillResponse(1, b, 1).Marginal(spend), b, 1);
        }
        return (truths, budgets);
    }

    private static double TrueProfit(ISpendResponse[] truths, double[] budgets) =>
        budgets.Select((budget, i) => Margin * truths[i].Value(Delivery * budget) - Delivery * budget).Sum();

    private static double BruteForceOptimum(ISpendResponse[] truths, decimal[] budgets)
    {
        var low = budgets.Select(b => (double)b * 0.8).ToArray();
        var high = budgets.Select(b => (double)b * 1.2).ToArray();
        var total = budgets.Sum(b => (double)b);
        var best = double.NegativeInfinity;
        for (var x0 = low[0]; x0 <= high[0]; x0++)
        {
            for (var x1 = low[1]; x1 <= high[1]; x1++)
            {
                for (var x2 = low[2]; x2 <= high[2]; x2++)
                {
                    var x3 = total - x0 - x1 - x2;
                    if (x3 >= low[3] && x3 <= high[3])
                    {
                        best = Math.Max(best, TrueProfit(truths, [x0, x1, x2, x3]));
                    }
                }
            }
        }
        return best;
    }
}
