using System.Globalization;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using AdIntel.Web.Rules.Expressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Rules.Scripting;

/// <summary>
/// Compiles C# rule conditions written by the installation's administrator. TRUSTED CODE: a script runs inside the
/// app with the server's rights (every store's data, files, network, environment, processes); nothing here is a
/// sandbox, which is why scripts are off by default (<c>Rules:CSharpScripts:Enabled</c>), refused in
/// <c>Auth:Mode=Shopify</c> and written, previewed and run on demand by the installation's administrator only.
/// </summary>
/// <remarks>
/// A script is a C# expression (<c>roas_7d &lt; 1.5 &amp;&amp; spend_7d &gt; 100</c>) or a method body that returns
/// a bool. It sees the catalogue variables it names as locals: numbers as <c>double?</c> (null = missing, so C#'s
/// lifted operators give the expressions' null rules: <c>null &lt; 1.5</c> is false, <c>null + 1</c> is null; plain
/// C# division by zero gives ∞, not null), <c>in_learning</c> as <c>bool</c> and <c>status</c> as <c>string</c>.
/// The compiler uses Roslyn's <see cref="CSharpCompilation"/> (not the scripting API, whose assemblies can never be
/// unloaded) and loads each script into its own collectible <see cref="AssemblyLoadContext"/>, unloaded on dispose.
/// Time limits: compilation is cancelled after <see cref="CSharpScriptOptions.CompileTimeoutMilliseconds"/>; at run
/// time every loop iteration and local function or block-lambda entry checks the deadline and the remaining stack,
/// so endless loops and runaway recursion stop with <see cref="RuleScriptException"/>. A library call that does not
/// return in time (<c>Thread.Sleep</c>, a blocked read) cannot be interrupted (.NET cannot abort a thread): the caller
/// abandons it at the time limit (see <see cref="CompiledRuleScript.EvaluateAll"/>). <c>goto</c> is refused.
/// </remarks>
public sealed class CSharpRuleScriptCompiler(IOptions<CSharpScriptOptions> options, ILogger<CSharpRuleScriptCompiler> logger)
{
    /// <summary>What the editor must show next to a script.</summary>
    public const string TrustedCodeNotice =
        "A C# script runs with the server's rights: it can read every store's data, the database file, the server's files and environment, and start processes. "
        + "Only the installation's administrator can write or run one; only write scripts you would deploy yourself.";

    private const string GuardClass = "__ScriptGuard";
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);
    private static readonly Lazy<Task> WarmUp = new(() => Task.Run(() =>
        CSharpCompilation.Create("AdIntel.RuleScript.WarmUp", [CSharpSyntaxTree.ParseText("static class W { static bool F(double? x) => x > 1; }")],
            References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)).Emit(Stream.Null)));

    public bool IsEnabled => options.Value.Enabled;

    /// <summary>Compiles a script; the result holds either the compiled script or the errors with their positions.</summary>
    public RuleScriptCompilation Compile(string? source, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return RuleScriptCompilation.Failed(new RuleExpressionError("scripts_disabled",
                $"C# scripts are turned off on this install ({CSharpScriptOptions.SectionName}:Enabled is false)."));
        }
        var text = source ?? "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return RuleScriptCompilation.Failed(new RuleExpressionError(RuleExpressionErrorCodes.Empty, "Write a C# condition, e.g. roas_7d < 1.5 && spend_7d > 100."));
        }
        if (text.Length > settings.MaxLength)
        {
            return RuleScriptCompilation.Failed(new RuleExpressionError(RuleExpressionErrorCodes.TooLong,
                $"The script has {text.Length} characters; at most {settings.MaxLength} are allowed."));
        }

        // Roslyn's first compilation in a process loads and JITs the compiler (seconds on a busy machine); that one-time
        // cost must not count against a script's compile time limit.
        WarmUp.Value.GetAwaiter().GetResult();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.CompileTimeoutMilliseconds);
        try
        {
            return CompileChecked(text, settings, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return RuleScriptCompilation.Failed(new RuleExpressionError("compile_timeout",
                $"Compiling took longer than {settings.CompileTimeoutMilliseconds} ms and was stopped."));
        }
    }

    private RuleScriptCompilation CompileChecked(string text, CSharpScriptOptions settings, CancellationToken cancellationToken)
    {
        var isExpression = IsSingleExpression(text);
        var userTree = isExpression
            ? SyntaxFactory.ParseExpression(text)
            : (SyntaxNode)SyntaxFactory.ParseStatement("{\n" + text + "\n}");
        var forbidden = userTree.DescendantNodes().FirstOrDefault(n => n is GotoStatementSyntax or LabeledStatementSyntax);
        if (forbidden is not null)
        {
            return RuleScriptCompilation.Failed(new RuleExpressionError("forbidden_statement", "goto and labels are not allowed in rule scripts."));
        }
        // C# is case-sensitive: the catalogue's lower-case names become locals when the script uses them.
        var names = userTree.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText).ToHashSet(StringComparer.Ordinal);
        var variables = RuleVariableCatalogue.All.Where(v => names.Contains(v.Name)).ToList();

        var assemblyName = "AdIntel.RuleScript." + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        var source = Generate(text, isExpression, variables);
        var parseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText(source, parseOptions, path: "script", cancellationToken: cancellationToken);
        var compilationOptions = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Disable, allowUnsafe: false);

        // First pass on the script as written, so error positions match what the author typed.
        var checkCompilation = CSharpCompilation.Create(assemblyName, [tree], References.Value, compilationOptions);
        var errors = checkCompilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            return RuleScriptCompilation.Failed([.. errors.Take(20).Select(ToError)]);
        }

        // Second pass: the same code with deadline checks in every loop and function body, emitted for loading.
        var guarded = tree.WithRootAndOptions(new GuardInserter().Visit(tree.GetRoot(cancellationToken)), parseOptions);
        var emitCompilation = CSharpCompilation.Create(assemblyName, [guarded], References.Value, compilationOptions);
        using var image = new MemoryStream();
        var emitted = emitCompilation.Emit(image, cancellationToken: cancellationToken);
        if (!emitted.Success)
        {
            return RuleScriptCompilation.Failed([.. emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(ToError)]);
        }
        image.Position = 0;
        var context = new AssemblyLoadContext(assemblyName, isCollectible: true);
        var assembly = context.LoadFromStream(image);
        var evaluate = assembly.GetType("AdIntel.RuleScripts.Script")!.GetMethod("Evaluate")!.CreateDelegate<Func<double[], bool>>();
        var setDeadline = assembly.GetType("AdIntel.RuleScripts." + GuardClass)!.GetMethod("SetDeadline")!.CreateDelegate<Action<long>>();
        logger.LogInformation("Compiled C# rule script {Assembly} ({Length} characters).", assemblyName, text.Length);
        return new RuleScriptCompilation(new CompiledRuleScript(context, evaluate, setDeadline, variables, TimeSpan.FromMilliseconds(settings.TimeoutMilliseconds)), []);
    }

    private static bool IsSingleExpression(string text)
    {
        var expression = SyntaxFactory.ParseExpression(text);
        return !expression.ContainsDiagnostics && expression.FullSpan.Length == text.Length;
    }

    private static string Generate(string text, bool isExpression, IReadOnlyList<RuleVariable> variables)
    {
        var locals = new StringBuilder();
        foreach (var variable in variables)
        {
            var slot = variable.Slot.ToString(CultureInfo.InvariantCulture);
            locals.Append(variable.Type switch
            {
                RuleValueType.Boolean => $"            bool {variable.Name} = row[{slot}] != 0;\n",
                RuleValueType.Text => $"            string {variable.Name} = {GuardClass}.Status(row[{slot}]);\n",
                _ => $"            double? {variable.Name} = {GuardClass}.Number(row[{slot}]);\n",
            });
        }
        var statuses = string.Join(", ", RuleVariableCatalogue.StatusValues.Select(s => $"\"{s}\""));
        var body = isExpression ? $"return\n#line 1 \"script\"\n{text}\n#line default\n;" : $"#line 1 \"script\"\n{text}\n#line default";
        return $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using static System.Math;

            namespace AdIntel.RuleScripts
            {
                public static class Script
                {
                    public static bool Evaluate(double[] row)
                    {
                        {{GuardClass}}.Tick();
            {{locals}}
            {{body}}
                    }
                }

                public static class {{GuardClass}}
                {
                    [ThreadStatic] private static long deadline;
                    private static readonly string[] statuses = { {{statuses}} };

                    public static void SetDeadline(long timestamp) { deadline = timestamp; }

                    public static void Tick()
                    {
                        if (System.Diagnostics.Stopwatch.GetTimestamp() > deadline) { throw new TimeoutException("The script ran past its time limit."); }
                        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
                    }

                    public static double? Number(double value) { return double.IsNaN(value) ? (double?)null : value; }

                    public static string Status(double code) { var i = (int)code; return i >= 1 && i <= statuses.Length ? statuses[i - 1] : "UNKNOWN"; }
                }
            }
            """;
    }

    private static RuleExpressionError ToError(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var inScript = span.HasMappedPath && span.Path == "script";
        var position = inScript
            ? new SourcePosition(span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, -1, Math.Max(1, diagnostic.Location.SourceSpan.Length))
            : null;
        var where = position is null ? "" : $"Line {position.Line}, column {position.Column}: ";
        return new RuleExpressionError("script_error", $"{where}{diagnostic.GetMessage(CultureInfo.InvariantCulture)} ({diagnostic.Id})", position);
    }

    private static MetadataReference[] LoadReferences()
    {
        var wanted = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "System.Private.CoreLib", "System.Runtime", "System.Linq", "System.Collections", "System.Runtime.Extensions", "netstandard",
        };
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator);
        return [.. platform.Where(p => wanted.Contains(Path.GetFileNameWithoutExtension(p))).Select(p => MetadataReference.CreateFromFile(p))];
    }

    /// <summary>Puts a deadline and stack check at the top of every loop body, local function and block lambda of the script.</summary>
    private sealed class GuardInserter : CSharpSyntaxRewriter
    {
        private static readonly StatementSyntax Tick = SyntaxFactory.ParseStatement(GuardClass + ".Tick();");

        public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
        {
            var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
            return visited.WithStatement(Guard(visited.Statement));
        }

        public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
        {
            var visited = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
            return visited.WithStatement(Guard(visited.Statement));
        }

        public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
        {
            var visited = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
            return visited.WithStatement(Guard(visited.Statement));
        }

        public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
        {
            var visited = (DoStatementSyntax)base.VisitDoStatement(node)!;
            return visited.WithStatement(Guard(visited.Statement));
        }

        public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
        {
            var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
            if (visited.Body is { } body)
            {
                return visited.WithBody(Guard(body));
            }
            // An expression-bodied local function: "=> x" becomes "{ Tick(); return x; }" (or "x;" when it returns void).
            var returnsVoid = visited.ReturnType is PredefinedTypeSyntax { Keyword.ValueText: "void" };
            StatementSyntax statement = returnsVoid
                ? SyntaxFactory.ExpressionStatement(visited.ExpressionBody!.Expression)
                : SyntaxFactory.ReturnStatement(visited.ExpressionBody!.Expression);
            return visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(SyntaxFactory.Block(Tick, statement));
        }

        public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
        {
            var visited = (ParenthesizedLambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!;
            return visited.Block is { } block ? visited.WithBlock(Guard(block)) : visited;
        }

        public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
        {
            var visited = (SimpleLambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!;
            return visited.Block is { } block ? visited.WithBlock(Guard(block)) : visited;
        }

        private static BlockSyntax Guard(StatementSyntax statement) =>
            statement is BlockSyntax block ? block.WithStatements(block.Statements.Insert(0, Tick)) : SyntaxFactory.Block(Tick, statement);
    }
}
