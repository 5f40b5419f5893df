namespace AdIntel.Web.Demo;

/// <summary>
/// The demo history's days and the retail rhythm of an outdoor-apparel store: weekly cycle, a summer dip, the
/// holiday season with Black Friday / Cyber Monday and a December gifting peak, and steady growth.
/// </summary>
internal sealed class DemoCalendar
{
    // Mid-month demand level, January..December: a winter-jacket brand sells most in Q4, least in high summer.
    private static readonly double[] MonthLevel = [0.84, 0.80, 0.92, 1.00, 1.02, 0.86, 0.76, 0.80, 0.95, 1.06, 1.14, 1.30];

    // Sunday..Saturday (DayOfWeek order): Sunday-evening and Monday browsing convert best, Saturdays are quiet.
    private static readonly double[] WeekdayLevel = [1.12, 1.06, 1.02, 1.00, 0.98, 0.92, 0.90];

    public DemoCalendar(DateOnly firstDay, DateOnly lastDay, double growthOverPeriod)
    {
        FirstDay = firstDay;
        LastDay = lastDay;
        Days = lastDay.DayNumber - firstDay.DayNumber + 1;
        Demand = new double[Days];
        for (var i = 0; i < Days; i++)
        {
            var day = firstDay.AddDays(i);
            var progress = Days == 1 ? 1.0 : (double)i / (Days - 1);
            Demand[i] = Math.Exp(Math.Log(growthOverPeriod) * progress) * Seasonal(day) * WeekdayLevel[(int)day.DayOfWeek] * EventLevel(day);
        }
    }

    public DateOnly FirstDay { get; }
    public DateOnly LastDay { get; }
    public int Days { get; }

    /// <summary>Relative expected order volume per day (before noise), index 0 = <see cref="FirstDay"/>.</summary>
    public double[] Demand { get; }

    public DateOnly Day(int index) => FirstDay.AddDays(index);

    public int IndexOf(DateOnly day) => day.DayNumber - FirstDay.DayNumber;

    public static DateOnly Thanksgiving(int year)
    {
        var first = new DateOnly(year, 11, 1);
        var firstThursday = first.AddDays(((int)DayOfWeek.Thursday - (int)first.DayOfWeek + 7) % 7);
        return firstThursday.AddDays(21);
    }

    public static DateOnly BlackFriday(int year) => Thanksgiving(year).AddDays(1);

    public static DateOnly CyberMonday(int year) => Thanksgiving(year).AddDays(4);

    /// <summary>How much more an impression costs than usual: advertisers crowd into Q4, January is cheap.</summary>
    public static double CpmLevel(DateOnly day)
    {
        var blackFriday = BlackFriday(day.Year);
        if (day >= blackFriday.AddDays(-7) && day <= CyberMonday(day.Year))
        {
            return 1.55;
        }
        return day.Month switch
        {
            1 => 0.85,
            2 => 0.9,
            10 => 1.08,
            11 => 1.2,
            12 => day.Day <= 20 ? 1.3 : 1.05,
            _ => 1.0,
        };
    }

    /// <summary>Days of sales events that pull demand far above the seasonal level (1 = an ordinary day).</summary>
    public static double EventLevel(DateOnly day)
    {
        var thanksgiving = Thanksgiving(day.Year);
        var offset = day.DayNumber - thanksgiving.DayNumber;
        var bfcm = offset switch
        {
            >= -8 and <= -1 => 1.18, // early-access week
            0 => 1.7,
            1 => 3.6, // Black Friday
            2 => 2.6,
            3 => 2.3,
            4 => 3.1, // Cyber Monday
            5 => 1.5,
            _ => 1.0,
        };
        if (bfcm != 1.0)
        {
            return bfcm;
        }
        if (day.Month == 12)
        {
            return day.Day switch
            {
                >= 16 and <= 19 => 1.3, // last days to ship before Christmas
                >= 21 and <= 23 => 0.65,
                24 => 0.45,
                25 => 0.4,
                >= 26 => 1.1, // gift-card and after-Christmas sale shoppers
                _ => 1.0,
            };
        }
        if (day.Month == 7 && day.Day is >= 2 and <= 6)
        {
            return 1.35; // Fourth of July summer sale
        }
        return 1.0;
    }

    private static double Seasonal(DateOnly day)
    {
        // Interpolate between mid-month levels so months blend instead of stepping.
        var month = day.Month - 1;
        var midThis = new DateOnly(day.Year, day.Month, 15);
        double fraction;
        int other;
        if (day >= midThis)
        {
            other = (month + 1) % 12;
            var midNext = midThis.AddMonths(1);
            fraction = (double)(day.DayNumber - midThis.DayNumber) / (midNext.DayNumber - midThis.DayNumber);
        }
        else
        {
            other = (month + 11) % 12;
            var midPrevious = midThis.AddMonths(-1);
            fraction = (double)(midThis.DayNumber - day.DayNumber) / (midThis.DayNumber - midPrevious.DayNumber);
        }
        return MonthLevel[month] * (1 - fraction) + MonthLevel[other] * fraction;
    }
}
