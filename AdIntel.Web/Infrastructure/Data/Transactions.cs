using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AdIntel.Web.Infrastructure.Data;

public static class Transactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in the caller's transaction when there is one (a sync commits a batch together with
    /// its checkpoint), else in a transaction of its own, committed when the work succeeds.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this DatabaseFacade database, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (database.CurrentTransaction is not null)
        {
            return await work();
        }
        await using var transaction = await database.BeginTransactionAsync(cancellationToken);
        var result = await work();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
