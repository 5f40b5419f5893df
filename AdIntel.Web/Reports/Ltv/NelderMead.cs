namespace AdIntel.Web.Reports.Ltv;

/// <summary>The best point a minimisation found, the objective there and how many evaluations it took.</summary>
public sealed record MinimizationResult(double[] Point, double Value, int Evaluations, int Restarts);

/// <summary>
/// Nelder–Mead simplex minimisation without derivatives, restarted from the best point with a fresh simplex until a
/// restart no longer improves it (a single run can stall on a collapsed simplex, restarts are the standard remedy).
/// The BTYD fits run it on log-parameters, so every parameter stays positive and the simplex scales with them.
/// </summary>
public static class NelderMead
{
    public static MinimizationResult Minimize(Func<double[], double> objective, double[] start, double initialStep = 0.5,
        double tolerance = 1e-10, int maxEvaluations = 20_000, int maxRestarts = 8)
    {
        var best = (double[])start.Clone();
        var bestValue = Safe(objective(best));
        var evaluations = 1;
        var restarts = 0;
        for (; restarts <= maxRestarts; restarts++)
        {
            var step = restarts == 0 ? initialStep : initialStep / 4;
            var (point, value, used) = Run(objective, best, step, tolerance, maxEvaluations);
            evaluations += used;
            var improvement = bestValue - value;
            if (value < bestValue)
            {
                best = point;
                bestValue = value;
            }
            if (restarts > 0 && improvement <= tolerance * (1 + Math.Abs(bestValue)))
            {
                break;
            }
        }
        return new MinimizationResult(best, bestValue, evaluations, restarts);
    }

    private static (double[] Point, double Value, int Evaluations) Run(Func<double[], double> objective, double[] start, double step,
        double tolerance, int maxEvaluations)
    {
        var n = start.Length;
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        var evaluations = 0;
        double Evaluate(double[] x)
        {
            evaluations++;
            return Safe(objective(x));
        }

        simplex[0] = (double[])start.Clone();
        values[0] = Evaluate(simplex[0]);
        for (var i = 0; i < n; i++)
        {
            var vertex = (double[])start.Clone();
            vertex[i] += step;
            simplex[i + 1] = vertex;
            values[i + 1] = Evaluate(vertex);
        }

        var order = new int[n + 1];
        var centroid = new double[n];
        while (evaluations < maxEvaluations)
        {
            for (var i = 0; i <= n; i++)
            {
                order[i] = i;
            }
            Array.Sort(order, (x, y) => values[x].CompareTo(values[y]));
            int bestIndex = order[0], worst = order[n], secondWorst = order[n - 1];

            var spread = Math.Abs(values[worst] - values[bestIndex]);
            var size = 0.0;
            for (var i = 0; i <= n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    size = Math.Max(size, Math.Abs(simplex[i][j] - simplex[bestIndex][j]));
                }
            }
            if (spread <= tolerance * (1 + Math.Abs(values[bestIndex])) && size <= 1e-9)
            {
                break;
            }

            Array.Clear(centroid);
            for (var i = 0; i <= n; i++)
            {
                if (i == worst)
                {
                    continue;
                }
                for (var j = 0; j < n; j++)
                {
                    centroid[j] += simplex[i][j] / n;
                }
            }

            var reflected = Along(centroid, simplex[worst], -1);
            var reflectedValue = Evaluate(reflected);
            if (reflectedValue < values[bestIndex])
            {
                var expanded = Along(centroid, simplex[worst], -2);
                var expandedValue = Evaluate(expanded);
                (simplex[worst], values[worst]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue);
                continue;
            }
            if (reflectedValue < values[secondWorst])
            {
                (simplex[worst], values[worst]) = (reflected, reflectedValue);
                continue;
            }
            // Contract towards the better of the worst vertex and its reflection.
            var outside = reflectedValue < values[worst];
            var contracted = Along(centroid, outside ? reflected : simplex[worst], 0.5);
            var contractedValue = Evaluate(contracted);
            if (contractedValue < Math.Min(values[worst], reflectedValue))
            {
                (simplex[worst], values[worst]) = (contracted, contractedValue);
                continue;
            }
            // Shrink every vertex halfway towards the best one.
            for (var i = 0; i <= n; i++)
            {
                if (i == bestIndex)
                {
                    continue;
                }
                simplex[i] = Along(simplex[bestIndex], simplex[i], 0.5);
                values[i] = Evaluate(simplex[i]);
            }
        }

        var winner = 0;
        for (var i = 1; i <= n; i++)
        {
            if (values[i] < values[winner])
            {
                winner = i;
            }
        }
        return (simplex[winner], values[winner], evaluations);
    }

    /// <summary>origin + factor × (towards − origin).</summary>
    private static double[] Along(double[] origin, double[] towards, double factor)
    {
        var point = new double[origin.Length];
        for (var j = 0; j < point.Length; j++)
        {
            point[j] = origin[j] + factor * (towards[j] - origin[j]);
        }
        return point;
    }

    /// <summary>Points where the objective is undefined (overflow, log of zero) count as infinitely bad.</summary>
    private static double Safe(double value) => double.IsNaN(value) ? double.PositiveInfinity : value;
}
