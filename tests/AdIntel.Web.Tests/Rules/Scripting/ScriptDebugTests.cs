namespace AdIntel.Web.Tests.Rules.Scripting;
public sealed class ScriptDebugTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Debug()
    {
        var c = new AdIntel.Web.Rules.Scripting.CSharpRuleScriptCompiler(Microsoft.Extensions.Options.Options.Create(new AdIntel.Web.Rules.Scripting.CSharpScriptOptions { Enabled = true }), Microsoft.Extensions.Logging.Abstractions.NullLogger<AdIntel.Web.Rules.Scripting.CSharpRuleScriptCompiler>.Instance);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var r = c.Compile("int Down(int n) => Down(n + 1); return Down(0) > 0;", CancellationToken.None);
        output.WriteLine($"{sw.ElapsedMilliseconds} ms; " + string.Join("\n", r.Errors.Select(e => e.Code + ": " + e.Message)));
        Assert.Fail("show");
    }
}
