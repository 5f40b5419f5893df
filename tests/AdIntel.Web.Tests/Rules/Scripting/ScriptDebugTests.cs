namespace AdIntel.Web.Tests.Rules.Scripting;
public sealed class ScriptDebugTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Debug()
    {
        var c = new AdIntel.Web.Rules.Scripting.CSharpRuleScriptCompiler(Microsoft.Extensions.Options.Options.Create(new AdIntel.Web.Rules.Scripting.CSharpScriptOptions { Enabled = true }), Microsoft.Extensions.Logging.Abstractions.NullLogger<AdIntel.Web.Rules.Scripting.CSharpRuleScriptCompiler>.Instance);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var src in new[]{"spend_7d > 1", "roas_7d < 2", "int Down(int n) => Down(n + 1); return Down(0) > 0;", "int Down(int n) { return Down(n + 1); } return Down(0) > 0;", "while (true) { } return true;"}) { sw.Restart(); var r0 = c.Compile(src, CancellationToken.None); output.WriteLine(sw.ElapsedMilliseconds + " ms " + src + " " + r0.Succeeded); }
        var r = c.Compile("1 > 0", CancellationToken.None);
        output.WriteLine($"{sw.ElapsedMilliseconds} ms; " + string.Join("\n", r.Errors.Select(e => e.Code + ": " + e.Message)));
        Assert.Fail("show");
    }
}
