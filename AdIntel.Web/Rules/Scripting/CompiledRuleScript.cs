using System.Diagnostics;
using System.Runtime.Loader;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Scripting;

/// <summary>
/// A compiled C# rule script living in its own collectible load context. Evaluate it over snapshot entities (or bare
/// rows) like a <see cref="CompiledRuleCondition"/>; each call is time-limited. <see cref="Dispose"/> unloads the
/// script's assembly (do not call it afterwards).
/// </summary>
public sealed class CompiledRuleScript : IDisposable
{
    private readonly AssemblyLoadContext _context;
    private readonly Func<object?[], Task<bool>> _factory;
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromMilliseconds(100);
    private readonly long _timeoutTicks;
    private bool _disposed;

    /// <param name="factory">The script submission's factory: runs the script against the globals at index 0 of the array.</param>
    internal CompiledRuleScript(AssemblyLoadContext context, Func<object?[], Task<bool>> factory, IReadOnlyList<RuleVariable> variables, TimeSpan timeout)
    {
        _context = context;
        _factory = factory;
        Variables = variables;
        Timeout = timeout;
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The collectible context the script's assembly lives in (unloaded by <see cref="Dispose"/>).</summary>
    public AssemblyLoadContext LoadContext => _context;

    /// <summary>The catalogue variables the script reads.</summary>
    public IReadOnlyList<RuleVariable> Variables { get; }

    /// <summary>Longest time one <see cref="Evaluate"/> or <c>EvaluateAll</c> call may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Whether the script holds for one snapshot row (<see cref="RuleScriptGlobals.Entity"/> is null).</summary>
    /// <exception cref="RuleScriptException">The script threw, ran out of time or recursed too deep.</exception>
    public bool Evaluate(double[] row) => EvaluateAll([row])[0];

    /// <summary>Judges bare snapshot rows (<see cref="RuleScriptGlobals.Entity"/> is null) within one time budget.</summary>
    /// <exception cref="RuleScriptException">The script threw, timed out or recursed too deep.</exception>
    public bool[] EvaluateAll(IReadOnlyList<double[]> rows) => EvaluateAll([.. rows.Select(row => new RuleScriptGlobals(row, null))]);

    /// <summary>
    /// Judges entities within one time budget, on a thread of their own: the script's loops stop themselves at the
    /// deadline, and a call the script cannot leave (<c>Thread.Sleep</c>, a blocked read) is abandoned there, its
    /// thread left to finish on its own, since .NET cannot abort it.
    /// </summary>
    /// <exception cref="RuleScriptException">The script threw, timed out or recursed too deep.</exception>
    public bool[] EvaluateAll(IReadOnlyList<EntitySnapshot> entities) => EvaluateAll([.. entities.Select(e => new RuleScriptGlobals(e.Values, e))]);

    private bool[] EvaluateAll(IReadOnlyList<RuleScriptGlobals> globals)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var run = Task.Factory.StartNew(() => Run(globals), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // The script's own deadline check fires first for loops; the grace keeps its message (with the row) in that case.
        if (Task.WaitAny([run], Timeout + AbandonGrace) < 0)
        {
            run.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new RuleScriptException(
                $"The script timed out: it ran longer than {Timeout.TotalMilliseconds:0} ms inside a call it could not be stopped in, and was abandoned.");
        }
        return run.GetAwaiter().GetResult();
    }

    private bool[] Run(IReadOnlyList<RuleScriptGlobals> globals)
    {
        RuleScriptGuard.StartClock(_timeoutTicks);
        var results = new bool[globals.Count];
        var i = 0;
        try
        {
            for (; i < globals.Count; i++)
            {
                RuleScriptGuard.Tick();
                // Slot 0 holds the globals; the submission puts itself in slot 1.
                results[i] = _factory([globals[i], null]).GetAwaiter().GetResult();
            }
        }
        catch (TimeoutException)
        {
            throw new RuleScriptException($"The script timed out: it ran longer than {Timeout.TotalMilliseconds:0} ms (stopped at row {i + 1} of {globals.Count}).");
        }
        catch (InsufficientExecutionStackException)
        {
            throw new RuleScriptException("The script recursed too deep and was stopped.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not RuleScriptException)
        {
            throw new RuleScriptException($"The script failed on row {i + 1}: {ex.GetType().Name}: {ex.Message}", ex);
        }
        return results;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _context.Unload();
        }
    }
}

/// <summary>The outcome of compiling a script: the script, or the errors (with line and column in the script).</summary>
public sealed record RuleScriptCompilation(CompiledRuleScript? Script, IReadOnlyList<RuleExpressionError> Errors)
{
    public bool Succeeded => Script is not null;

    public static RuleScriptCompilation Failed(params RuleExpressionError[] errors) => new(null, errors);
}

/// <summary>A script failed at run time (exception, time limit, recursion).</summary>
public sealed class RuleScriptException(string message, Exception? inner = null) : Exception(message, inner);
