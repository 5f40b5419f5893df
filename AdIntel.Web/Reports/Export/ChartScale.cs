namespace AdIntel.Web.Reports.Export;

/// <summary>A value axis shared by the report's page chart (SVG) and its PDF chart, so both show the same gridlines.</summary>
public static class ChartScale
{
    /// <summary>Axis bounds and step on a 1-2-5 grid with about five intervals.</summary>
    public static (decimal Low, decimal High, decimal Step) Nice(decimal min, decimal max)
    {
        if (max == min)
        {
            max = min + 1;
        }
        var raw = (double)(max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var step = (decimal)((fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude);
        return (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }
}
