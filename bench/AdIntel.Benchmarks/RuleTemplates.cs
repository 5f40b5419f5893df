using System.Globalization;
using AdIntel.Web.Rules.Expressions;

namespace AdIntel.Benchmarks;

/// <summary>
/// The benchmark's rules: ten shapes of real rule conditions with random windows and thresholds, each as expression
/// text and as the same condition written by hand in C# (reading the same row slots, with the same null rules).
/// </summary>
internal static class RuleTemplates
{
    public const int Count = 10;

    private static readonly string[] Windows = ["3d", "7d", "14d", "30d", "7d_incl_today"];

    public static BenchmarkRule Create(int template, Random random)
    {
        string w = Windows[random.Next(Windows.Length)], w2 = Windows[random.Next(Windows.Length)];
        int Slot(string name) => RuleVariableCatalogue.Get(name).Slot;
        double Number(double min, double max, int decimals) => Math.Round(min + random.NextDouble() * (max - min), decimals);
        static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

        switch (template)
        {
            case 0:
            {
                int roas = Slot($"roas_{w}"), spend = Slot($"spend_{w}");
                double a = Number(0.5, 3, 2), b = Number(50, 600, 0);
                return new($"roas_{w} < {Text(a)} and spend_{w} > {Text(b)}", r => r[roas] < a && r[spend] > b);
            }
            case 1:
            {
                int spend = Slot($"spend_{w}"), budget = Slot("daily_budget"), purchases = Slot($"purchases_{w}");
                double k = Number(1, 4, 1), n = Number(1, 15000, 0);
                return new($"spend_{w} > {Text(k)} * daily_budget and purchases_{w} < {Text(n)}", r => r[spend] > k * r[budget] && r[purchases] < n);
            }
            case 2:
            {
                int cpa = Slot($"cpa_{w}"), ctr = Slot($"ctr_{w}"), learning = Slot("in_learning");
                double a = Number(50, 700, 0), c = Number(0.005, 0.03, 3);
                return new($"(cpa_{w} > {Text(a)} or ctr_{w} < {Text(c)}) and not in_learning", r => (r[cpa] > a || r[ctr] < c) && r[learning] == 0);
            }
            case 3:
            {
                int from = Slot($"roas_{w}"), to = Slot($"roas_{w2}");
                var p = Number(5, 60, 0);
                return new($"pct_change(roas_{w}, roas_{w2}) < -{Text(p)}", r => RuleOps.PercentChange(r[from], r[to]) < -p);
            }
            case 4:
            {
                int frequency = Slot($"frequency_{w}"), ctr = Slot($"ctr_{w}");
                double f = Number(1, 4, 1), c = Number(0.005, 0.04, 3);
                return new($"frequency_{w} > {Text(f)} and ctr_{w} < {Text(c)}", r => r[frequency] > f && r[ctr] < c);
            }
            case 5:
            {
                int cpm = Slot($"cpm_{w}"), status = Slot("status");
                double low = Number(0, 300, 0), high = low + Number(50, 400, 0);
                return new($"between(cpm_{w}, {Text(low)}, {Text(high)}) and status == 'ACTIVE'", r => low <= r[cpm] && r[cpm] <= high && r[status] == 1);
            }
            case 6:
            {
                int today = Slot("spend_today"), yesterday = Slot("spend_yesterday");
                var x = Number(0.5, 2, 2);
                return new($"spend_today > {Text(x)} * spend_yesterday", r => r[today] > x * r[yesterday]);
            }
            case 7:
            {
                int value = Slot($"purchase_value_{w}"), spend = Slot($"spend_{w}");
                var a = Number(0.5, 3, 2);
                return new($"purchase_value_{w} / spend_{w} < {Text(a)}", r => RuleOps.Divide(r[value], r[spend]) < a);
            }
            case 8:
            {
                int first = Slot($"roas_{w}"), second = Slot($"roas_{w2}"), age = Slot("age_days");
                double a = Number(0.5, 3, 2), d = Number(3, 60, 0);
                return new($"max(roas_{w}, roas_{w2}) < {Text(a)} and age_days > {Text(d)}", r => Math.Max(r[first], r[second]) < a && r[age] > d);
            }
            default:
            {
                int learning = Slot("in_learning"), spend = Slot($"spend_{w}"), roas = Slot($"roas_{w}");
                double b = Number(50, 600, 0), a = Number(0.5, 3, 2);
                return new($"if(in_learning, spend_{w} > {Text(b)}, roas_{w} < {Text(a)})", r => r[learning] != 0 ? r[spend] > b : r[roas] < a);
            }
        }
    }
}

/// <summary>A rule condition as text and as hand-written C#.</summary>
internal sealed record BenchmarkRule(string Expression, Func<double[], bool> HandWritten);
