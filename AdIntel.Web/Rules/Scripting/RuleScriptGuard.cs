using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace AdIntel.Web.Rules.Scripting;

/// <summary>
/// The deadline and stack check the compiler puts at the top of every loop body and function of a script. Public only
/// because the scripts' assemblies call it; the deadline is per thread, since each evaluation runs on a thread of its own.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RuleScriptGuard
{
    [ThreadStatic]
    private static long _deadline;

    internal static void StartClock(long timeoutTicks) => _deadline = Stopwatch.GetTimestamp() + timeoutTicks;

    /// <exception cref="TimeoutException">The thread's evaluation ran past its deadline.</exception>
    /// <exception cref="InsufficientExecutionStackException">The script recursed too deep.</exception>
    public static void Tick()
    {
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            throw new TimeoutException("The script ran past its time limit.");
        }
        RuntimeHelpers.EnsureSufficientExecutionStack();
    }
}
