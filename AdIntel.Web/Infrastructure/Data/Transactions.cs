using Microsoft.EntityFrameworkCore;
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

    /// <summary>
    /// PostgreSQL: the current transaction's commit returns without waiting for its write-ahead log to reach the disk
    /// (<c>synchronous_commit</c> off for this transaction only). For the batches of a long bulk write that each commit
    /// together with the checkpoint the write resumes from: a crash of the database server can lose the last fraction of
    /// a second of them, whole batches, never half of one, and the run then resumes from the checkpoint that survived.
    /// The run's last commit is an ordinary one, which makes every earlier batch durable too. Waiting for the flush took
    /// a tenth of a 100k-order backfill. SQLite: nothing to do.
    /// </summary>
    public static async Task SkipCommitFlushAsync(this DatabaseFacade database, CancellationToken cancellationToken)
    {
        if (database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("SkipCommitFlushAsync applies to the current transaction; begin one first.");
        }
        if (database.IsNpgsql())
        {
            await database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit TO OFF", cancellationToken);
        }
    }
}
