using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Brain.Llm;

/// <summary>This month's tokens of the current store against its budget.</summary>
public sealed record LlmMonthUsage(DateOnly Month, long UsedTokens, long BudgetTokens, int Requests)
{
    public bool Exhausted => UsedTokens >= BudgetTokens;
}

/// <summary>
/// The one writer of <see cref="LlmUsage"/>: every provider call of the current store adds the tokens the provider
/// reported (or, when it reports none, an estimate from the text sent and received) to the store-local month's row.
/// </summary>
public sealed class LlmUsageLedger(AdIntelDbContext db, StoreClock clock, TimeProvider time, IOptions<LlmOptions> options)
{
    public async Task<LlmMonthUsage> GetThisMonthAsync(CancellationToken cancellationToken)
    {
        var month = await ThisMonthAsync(cancellationToken);
        var row = await db.LlmUsage.AsNoTracking().FirstOrDefaultAsync(u => u.Month == month, cancellationToken);
        return new LlmMonthUsage(month, row?.TotalTokens ?? 0, options.Value.MonthlyTokenBudget, row?.Requests ?? 0);
    }

    /// <param name="usage">What the provider reported, if anything.</param>
    /// <param name="estimatedTokens">Used when the provider reported nothing: a budget must not be bypassed by a server that does not count.</param>
    public async Task RecordAsync(UsageDetails? usage, long estimatedTokens, CancellationToken cancellationToken)
    {
        var input = usage?.InputTokenCount ?? (usage?.TotalTokenCount is null ? estimatedTokens : 0);
        var output = usage?.OutputTokenCount ?? (usage?.InputTokenCount is null && usage?.TotalTokenCount is { } total ? total : 0);
        var month = await ThisMonthAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        for (var attempt = 0; ; attempt++)
        {
            var updated = await db.LlmUsage.Where(u => u.Month == month).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.InputTokens, x => x.InputTokens + input)
                .SetProperty(x => x.OutputTokens, x => x.OutputTokens + output)
                .SetProperty(x => x.Requests, x => x.Requests + 1)
                .SetProperty(x => x.UpdatedAtUtc, now), cancellationToken);
            if (updated > 0)
            {
                return;
            }
            var row = db.LlmUsage.Add(new LlmUsage { Month = month, InputTokens = input, OutputTokens = output, Requests = 1, UpdatedAtUtc = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another request made the month's row first: add to it instead.
                row.State = EntityState.Detached;
            }
        }
    }

    /// <summary>A rough count for providers that report no usage: about four characters a token.</summary>
    public static long Estimate(IEnumerable<string?> texts) => texts.Sum(t => (long)(t?.Length ?? 0)) / 4 + 1;

    private async Task<DateOnly> ThisMonthAsync(CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        return new DateOnly(today.Year, today.Month, 1);
    }
}
