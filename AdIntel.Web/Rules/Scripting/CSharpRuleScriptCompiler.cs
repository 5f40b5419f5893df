using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Rules.Expressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Rules.Scripting;

/// <summary>
/// Compiles C# rule scripts written by the installation's administrator. TRUSTED CODE: a script runs inside the
/// app with the server's rights (every store's data, files, network, environment, processes); nothing here is a
/// sandbox, which is why scripts are off by default (<c>Rules:CSharpScripts:Enabled</c>), refused in
/// <c>Auth:Mode=Shopify</c> and written, previewed and run on demand by the installation's administrator only.
/// </summary>
/// <remarks>
/// A script is C# script code (Roslyn scripting: top-level statements, a final expression or <c>return</c> gives the
/// bool) run against a <see cref="RuleScriptGlobals"/>. The catalogue variables it names are declared for it: numbers
/// as <c>double?</c> (null = missing, so C#'s lifted operators give the expressions' null rules: <c>null &lt; 1.5</c> is
/// false, <c>null + 1</c> is null; plain C# division by zero gives ∞, not null), <c>in_learning</c> as <c>bool</c> and
/// <c>status</c> as <c>string</c>.
/// The compilation comes from <see cref="CSharpScript"/>, but it is emitted and loaded here, into a collectible
/// <see cref="AssemblyLoadContext"/> per script that <see cref="CompiledRuleScript.Dispose"/> unloads: scripts run
/// through the scripting API's own loader (<c>RunAsync</c>, <c>CreateDelegate</c>) can never be unloaded.
/// Time limits: compilation is cancelled after <see cref="CSharpScriptOptions.CompileTimeoutMilliseconds"/>; at run
/// time every loop iteration and function entry checks the deadline and the remaining stack
/// (<see cref="RuleScriptGuard"/>), so endless loops and runaway recursion stop with <see cref="RuleScriptException"/>.
/// A library call that does not return in time (<c>Thread.Sleep</c>, a blocked read) cannot be interrupted (.NET cannot
/// abort a thread): the caller abandons it at the time limit (see <see cref="CompiledRuleScript"/>). <c>goto</c>,
/// <c>#r</c> and <c>#load</c> are refused.
/// </remarks>
public sealed class CSharpRuleScriptCompiler(IOptions<CSharpScriptOptions> options, ILogger<CSharpRuleScriptCompiler> logger)
{
    /// <summary>What the editor must show next to a script.</summary>
    public const string TrustedCodeNotice =
        "A C# script runs with the server's rights: it can read every store's data, the database file, the server's files and environment, and start processes. "
        + "Only the installation's administrator can write or run one; only write scripts you would deploy yourself.";

    /// <summary>The path error positions are mapped to: the author's text, as typed.</summary>
    private const string ScriptPath = "script";

    private static readonly string[] Imports = ["System", "System.Collections.Generic", "System.Linq", "System.Math"];
    private static readonly CSharpParseOptions ParseOptions =
        CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);
    private static readonly Lazy<ScriptOptions> ScriptSettings = new(() => ScriptOptions.Default
        .WithReferences(References.Value)
        .WithMetadataResolver(new NothingFromDisk())
        .WithImports(Imports)
        .WithOptimizationLevel(OptimizationLevel.Release)
        .WithAllowUnsafe(false)
        .WithEmitDebugInformation(false)
        .WithLanguageVersion(LanguageVersion.Latest));
    private static readonly Lazy<Task> WarmUp = new(() => Task.Run(() => ScriptCompilation("true").Emit(Stream.Null)));

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
        var written = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(text, ParseOptions, cancellationToken: cancellationToken).GetRoot(cancellationToken);
        if (Refused(written) is { } refused)
        {
            return RuleScriptCompilation.Failed(refused);
        }
        // C# is case-sensitive: the catalogue's lower-case names are declared when the script uses them.
        var names = written.DescendantNodes().OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText).ToHashSet(StringComparer.Ordinal);
        var variables = RuleVariableCatalogue.All.Where(v => names.Contains(v.Name)).ToList();

        // First pass on the script as written (declarations mapped away), so error positions match what the author typed.
        var compilation = ScriptCompilation(WithDeclarations(text, written, variables), cancellationToken);
        var errors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            return RuleScriptCompilation.Failed([.. errors.Take(20).Select(ToError)]);
        }

        // Second pass: the same code with deadline checks in every loop and function body, emitted for loading.
        var tree = compilation.SyntaxTrees.Single();
        var guarded = compilation.ReplaceSyntaxTree(tree, tree.WithRootAndOptions(new GuardInserter().Visit(tree.GetRoot(cancellationToken)), tree.Options));
        var assemblyName = "AdIntel.RuleScript." + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        using var image = new MemoryStream();
        var emitted = guarded.WithAssemblyName(assemblyName).Emit(image, cancellationToken: cancellationToken);
        if (!emitted.Success)
        {
            return RuleScriptCompilation.Failed([.. emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(ToError)]);
        }
        image.Position = 0;
        var context = new AssemblyLoadContext(assemblyName, isCollectible: true);
        var assembly = context.LoadFromStream(image);
        // The submission's factory (what the scripting API's own runner calls): takes the submission array, globals first.
        var entryPoint = guarded.GetEntryPoint(cancellationToken)!;
        var factory = assembly.GetType(entryPoint.ContainingType.MetadataName, throwOnError: true)!
            .GetMethod(entryPoint.MetadataName)!.CreateDelegate<Func<object?[], Task<bool>>>();
        logger.LogInformation("Compiled C# rule script {Assembly} ({Length} characters).", assemblyName, text.Length);
        return new RuleScriptCompilation(new CompiledRuleScript(context, factory, variables, TimeSpan.FromMilliseconds(settings.TimeoutMilliseconds)), []);
    }

    /// <summary>The scripting API's compilation of a script returning bool over <see cref="RuleScriptGlobals"/>.</summary>
    private static Compilation ScriptCompilation(string code, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var compilation = CSharpScript.Create<bool>(code, ScriptSettings.Value, typeof(RuleScriptGlobals)).GetCompilation();
        // The scripting API adds fresh copies of CoreLib and the globals' assembly to every script; the shared set keeps
        // their metadata (and the symbols bound from it) one per process, so a compilation takes milliseconds.
        return compilation.WithReferences(References.Value);
    }

    private static RuleExpressionError? Refused(CompilationUnitSyntax script)
    {
        if (script.DescendantNodes().Any(n => n is GotoStatementSyntax or LabeledStatementSyntax))
        {
            return new RuleExpressionError("forbidden_statement", "goto and labels are not allowed in rule scripts.");
        }
        if (script.GetReferenceDirectives().Count > 0 || script.GetLoadDirectives().Count > 0)
        {
            return new RuleExpressionError("forbidden_statement", "#r and #load are not allowed in rule scripts: they see what the app references.");
        }
        if (!ReturnsAValue(script))
        {
            return new RuleExpressionError("script_error", "The script must give a bool: end it with a condition (roas_7d < 1.5) or return one.");
        }
        return null;
    }

    /// <summary>Whether the script ends in an expression without a semicolon or returns somewhere (outside its own functions).</summary>
    private static bool ReturnsAValue(CompilationUnitSyntax script)
    {
        var statements = script.Members.OfType<GlobalStatementSyntax>().Select(g => g.Statement).ToList();
        if (statements.LastOrDefault() is ExpressionStatementSyntax { SemicolonToken.IsMissing: true })
        {
            return true;
        }
        return statements.Any(s => s.DescendantNodesAndSelf(n => n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax))
            .OfType<ReturnStatementSyntax>().Any());
    }

    /// <summary>
    /// The script with its catalogue variables declared after its using directives, in code hidden from error positions:
    /// <c>#line</c> maps the author's text back to its own lines and columns.
    /// </summary>
    private static string WithDeclarations(string text, CompilationUnitSyntax written, IReadOnlyList<RuleVariable> variables)
    {
        var split = written.Usings.Count > 0 ? written.Usings[^1].FullSpan.End : 0;
        var code = new StringBuilder();
        if (split > 0)
        {
            code.Append($"#line 1 \"{ScriptPath}\"\n").Append(text, 0, split).Append('\n');
        }
        code.Append("#line hidden\n");
        foreach (var variable in variables)
        {
            code.Append(variable.Type switch
            {
                RuleValueType.Boolean => $"bool {variable.Name} = Flag(\"{variable.Name}\");\n",
                RuleValueType.Text => $"string {variable.Name} = Text(\"{variable.Name}\");\n",
                _ => $"double? {variable.Name} = Value(\"{variable.Name}\");\n",
            });
        }
        var resumeAt = written.SyntaxTree.GetLineSpan(new Microsoft.CodeAnalysis.Text.TextSpan(split, 0)).StartLinePosition;
        code.Append(CultureInfo.InvariantCulture, $"#line {resumeAt.Line + 1} \"{ScriptPath}\"\n")
            .Append(' ', resumeAt.Character)
            .Append(text, split, text.Length - split);
        return code.ToString();
    }

    private static RuleExpressionError ToError(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var inScript = span.HasMappedPath && span.Path == ScriptPath;
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
        // The globals' assembly (the app) and the plugin contract its snapshots expose (Entity.History's DailyDelivery).
        var app = new[] { typeof(RuleScriptGlobals).Assembly.Location, typeof(DailyDelivery).Assembly.Location };
        return [.. platform.Where(p => wanted.Contains(Path.GetFileNameWithoutExtension(p))).Concat(app).Select(p => MetadataReference.CreateFromFile(p))];
    }

    /// <summary>
    /// The scripting API's default resolver loads, for every script, each assembly the references mention but the
    /// compilation lacks (for the app's assembly: most of ASP.NET Core and EF Core): about 150 ms and 15 MiB of native
    /// memory per script, which the process kept after collections. Scripts compile against the shared references only.
    /// </summary>
    private sealed class NothingFromDisk : MetadataReferenceResolver
    {
        public override bool ResolveMissingAssemblies => false;

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) => [];

        public override bool Equals(object? other) => other is NothingFromDisk;

        public override int GetHashCode() => nameof(NothingFromDisk).GetHashCode(StringComparison.Ordinal);
    }

    /// <summary>Puts a deadline and stack check at the top of every loop body, function and block lambda of the script.</summary>
    private sealed class GuardInserter : CSharpSyntaxRewriter
    {
        private static readonly StatementSyntax Tick = SyntaxFactory.ParseStatement($"global::{typeof(RuleScriptGuard).FullName}.{nameof(RuleScriptGuard.Tick)}();");

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
            return visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Guard(visited.ReturnType, visited.Body, visited.ExpressionBody));
        }

        /// <summary>A script's top-level functions are methods of its submission class, not local functions.</summary>
        public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
        {
            var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
            return visited.Body is null && visited.ExpressionBody is null
                ? visited
                : visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Guard(visited.ReturnType, visited.Body, visited.ExpressionBody));
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

        /// <summary>A function's body with the check first: "=> x" becomes "{ Tick(); return x; }" (or "x;" when it returns void).</summary>
        private static BlockSyntax Guard(TypeSyntax returnType, BlockSyntax? body, ArrowExpressionClauseSyntax? expressionBody)
        {
            if (body is not null)
            {
                return Guard(body);
            }
            var returnsVoid = returnType is PredefinedTypeSyntax { Keyword.ValueText: "void" };
            StatementSyntax statement = returnsVoid
                ? SyntaxFactory.ExpressionStatement(expressionBody!.Expression)
                : SyntaxFactory.ReturnStatement(expressionBody!.Expression);
            return SyntaxFactory.Block(Tick, statement);
        }

        private static BlockSyntax Guard(StatementSyntax statement) =>
            statement is BlockSyntax block ? block.WithStatements(block.Statements.Insert(0, Tick)) : SyntaxFactory.Block(Tick, statement);
    }
}
