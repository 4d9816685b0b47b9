using System.Text.Json;
using System.Text.Json.Nodes;

namespace KeyVault.Tests.Support;

/// <summary>
/// A peer script in tests/interop run with Node.js: one JSON request on standard input, one JSON answer on standard
/// output. Skips locally without Node.js or the npm package the script needs, fails in CI.
/// </summary>
internal static class NodePeer
{
    public static JsonNode Run(string script, string package, object request)
    {
        var node = External.RequireTool("node", "nodejs");
        var interop = Path.Combine(External.RepoRoot, "tests", "interop");
        if (!Directory.Exists(Path.Combine(interop, "node_modules", package)))
            External.Unavailable($"the npm package {package} is not installed: run npm ci --prefix tests/interop");
        var (code, stdout, stderr) = External.RunWithInput(node, JsonSerializer.Serialize(request), Path.Combine(interop, script));
        Assert.True(code == 0, $"{script} failed ({code}): {stderr}");
        return JsonNode.Parse(stdout)!;
    }
}
