using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using KeyVault.Tests.Support;

namespace KeyVault.Tests.Packaging;

/// <summary>One component inside the executable, as its NuGet package describes it.</summary>
internal sealed record Component(string Id, string Version, string Licence, string? Copyright, string? Authors, string? ProjectUrl,
    string LicenceText, string LicenceSource, string? Notices);

/// <summary>
/// Generates THIRD-PARTY-NOTICES from package metadata, so the file cannot drift from what the executable holds.
/// The components are the packages of the keyvault program's runtime closure that contribute a runtime or native
/// file (read from the program's restore output, src/KeyVault.Cli/obj/project.assets.json), plus the .NET runtime
/// the self-contained executable carries (the runtime pack of the SDK pinned in global.json). For each, the
/// .nuspec in the NuGet cache gives the licence expression, copyright, authors and project URL; the licence text is
/// the package's own licence file when it ships one, otherwise the standard text of its SPDX licence; a
/// THIRD-PARTY-NOTICES file inside the package is carried over whole. tools/notices.sh rewrites the file.
/// </summary>
internal static class ThirdPartyNotices
{
    public static string CliAssetsPath => Path.Combine(External.RepoRoot, "src", "KeyVault.Cli", "obj", "project.assets.json");

    /// <summary>Every component, the .NET runtime first, then the packages by id.</summary>
    public static IReadOnlyList<Component> Components()
    {
        var assetsPath = CliAssetsPath;
        if (!File.Exists(assetsPath)) throw new InvalidOperationException($"{assetsPath} is missing: build the solution first");
        using var assets = JsonDocument.Parse(File.ReadAllBytes(assetsPath));
        var root = assets.RootElement;
        var packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        var target = root.GetProperty("targets").GetProperty("net10.0");

        var components = new List<Component> { Runtime(packageFolder) };
        foreach (var entry in target.EnumerateObject())
        {
            if (entry.Value.GetProperty("type").GetString() != "package" || !ShipsAFile(entry.Value)) continue;
            var slash = entry.Name.IndexOf('/');
            var (id, version) = (entry.Name[..slash], entry.Name[(slash + 1)..]);
            var folder = Path.Combine(packageFolder, root.GetProperty("libraries").GetProperty(entry.Name).GetProperty("path").GetString()!);
            components.Add(FromPackage(id, version, folder, id));
        }
        components.AddRange(VendoredData());
        return [components[0], .. components.Skip(1).OrderBy(c => c.Id, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// Data vendored from npm packages into KeyVault.Core (no NuGet metadata to read): the strength estimator's word
    /// lists, with the licence and notice files copied from those packages (src/KeyVault/Text/WordLists/README.md).
    /// </summary>
    private static IEnumerable<Component> VendoredData()
    {
        var folder = Path.Combine(External.RepoRoot, "src", "KeyVault", "Text", "WordLists");
        var licence = Read(Path.Combine(folder, "LICENSE-zxcvbn-ts.txt"));
        yield return new Component("@zxcvbn-ts/language-common (npm, passwords list)", "4.1.3", "MIT",
            "Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.; Copyright (c) 2021 @zxcvbn-ts", null,
            "https://github.com/zxcvbn-ts/zxcvbn", licence, "LICENSE.txt of the npm package", null);
        // The package is MIT; the word frequencies it ships are derived from OpenSubtitles data under ODC-By 1.0,
        // whose attribution the carried notice gives.
        yield return new Component("@zxcvbn-ts/language-en (npm, commonWords list)", "4.1.1", "MIT,ODC-By-1.0",
            "Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.; Copyright (c) 2021 @zxcvbn-ts", null,
            "https://github.com/zxcvbn-ts/zxcvbn", licence, "LICENSE.txt of the npm package",
            Read(Path.Combine(folder, "NOTICE-language-en.md")));
        // The SLIP-0039 word list (src/KeyVault/Shares/WordList.cs) and the standard's test vector the self-test
        // recomputes: facts of the standard, carried with the licence of the reference implementation that ships them.
        yield return new Component("SLIP-0039 word list and test vectors (SatoshiLabs)", "2019", "MIT", "Copyright 2019 SatoshiLabs", null,
            "https://github.com/trezor/python-shamir-mnemonic", Read(Path.Combine(External.RepoRoot, "test-vectors", "slip39", "LICENSE-vectors.txt")),
            "LICENSE of python-shamir-mnemonic (test-vectors/slip39/LICENSE-vectors.txt)", null);
    }

    /// <summary>A package ships a file in the executable when it has a managed or native runtime asset other than the "_._" placeholder.</summary>
    private static bool ShipsAFile(JsonElement library)
    {
        foreach (var kind in new[] { "runtime", "native", "runtimeTargets" })
            if (library.TryGetProperty(kind, out var files) && files.EnumerateObject().Any(f => !f.Name.EndsWith("/_._", StringComparison.Ordinal)))
                return true;
        return false;
    }

    /// <summary>The runtime pack of the SDK that global.json pins: the version that SDK bundles.</summary>
    private static Component Runtime(string packageFolder)
    {
        using var globalJson = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(External.RepoRoot, "global.json")));
        var sdk = globalJson.RootElement.GetProperty("sdk").GetProperty("version").GetString()!;
        // The shared runtime the tests run on lives in <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var bundled = Path.Combine(dotnetRoot, "sdk", sdk, "Microsoft.NETCoreSdk.BundledVersions.props");
        if (!File.Exists(bundled)) throw new InvalidOperationException($"{bundled} is missing: the SDK global.json pins ({sdk}) is not installed");
        var version = XDocument.Load(bundled).Descendants().First(e => e.Name.LocalName == "BundledNETCoreAppPackageVersion").Value;
        const string pack = "Microsoft.NETCore.App.Runtime.linux-x64";
        var folder = Path.Combine(packageFolder, pack.ToLowerInvariant(), version);
        // ./test.sh publishes first; a bare `dotnet test` on a new machine may not have restored the pack yet.
        if (!Directory.Exists(folder))
            External.Unavailable($"{folder} is missing (publish for linux-x64 once, as ./test.sh does, so the runtime pack is restored)");
        // Every runtime pack (one per platform) carries the same licence and notices; the linux-x64 one stands for all.
        return FromPackage(".NET runtime", version, folder, pack) with { Id = ".NET runtime" };
    }

    private static Component FromPackage(string id, string version, string folder, string packageId)
    {
        var nuspecPath = Directory.GetFiles(folder, "*.nuspec").Single();
        var metadata = XDocument.Load(nuspecPath).Root!.Elements().First(e => e.Name.LocalName == "metadata");
        string? Field(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();

        var licenceElement = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "license");
        var type = licenceElement?.Attribute("type")?.Value;
        string licence, text, source;
        if (type == "file")
        {
            licence = "see licence text";
            text = Read(Path.Combine(folder, licenceElement!.Value));
            source = $"the licence file of the {packageId} package";
        }
        else if (type == "expression")
        {
            licence = licenceElement!.Value.Trim();
            var file = Directory.GetFiles(folder).Where(f => Path.GetFileName(f).StartsWith("LICENSE", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal).FirstOrDefault();
            if (file is not null)
            {
                text = Read(file);
                source = $"{Path.GetFileName(file)} of the {packageId} package";
            }
            else
            {
                text = LicenceTexts.Standard(licence, Field("copyright") ?? Field("authors") ?? id);
                source = $"the standard {licence} text (the {packageId} package ships no licence file)";
            }
        }
        else
        {
            throw new InvalidOperationException($"{packageId} {version} names no licence expression or file; add its licence by hand to the generator");
        }

        var notices = Directory.GetFiles(folder).FirstOrDefault(f => Path.GetFileName(f).StartsWith("THIRD-PARTY-NOTICES", StringComparison.OrdinalIgnoreCase));
        return new Component(id, version, licence, Field("copyright"), Field("authors"), Field("projectUrl"), text, source,
            notices is null ? null : Read(notices));
    }

    private static string Read(string path) => File.ReadAllText(path).Replace("\r\n", "\n").TrimEnd() + "\n";

    /// <summary>The THIRD-PARTY-NOTICES text.</summary>
    public static string Generate(IReadOnlyList<Component> components)
    {
        var sb = new StringBuilder();
        sb.Append("THIRD-PARTY NOTICES\n\n");
        sb.Append("The keyvault executable is self-contained: besides KeyVault itself (MIT licence, see LICENSE) it carries the\n");
        sb.Append(".NET runtime and the packages below. Each executable carries the SkiaSharp native library of its own platform\n");
        sb.Append("only. Generated by tools/notices.sh from the packages' metadata; do not edit by hand.\n\n");
        var idWidth = Math.Max("component".Length, components.Max(c => c.Id.Length));
        var versionWidth = Math.Max("version".Length, components.Max(c => c.Version.Length));
        sb.Append($"{"component".PadRight(idWidth)}  {"version".PadRight(versionWidth)}  licence\n");
        foreach (var c in components) sb.Append($"{c.Id.PadRight(idWidth)}  {c.Version.PadRight(versionWidth)}  {c.Licence}\n");

        var seenLicences = new Dictionary<string, string>();
        var seenNotices = new Dictionary<string, string>();
        foreach (var c in components)
        {
            sb.Append('\n').Append(new string('=', 100)).Append('\n');
            sb.Append($"{c.Id} {c.Version}\n");
            sb.Append($"licence:   {c.Licence}\n");
            if (c.Copyright is not null) sb.Append($"copyright: {c.Copyright}\n");
            if (c.Authors is not null) sb.Append($"authors:   {c.Authors}\n");
            if (c.ProjectUrl is not null) sb.Append($"project:   {c.ProjectUrl}\n");
            sb.Append($"text from: {c.LicenceSource}\n\n");
            if (seenLicences.TryGetValue(c.LicenceText, out var same)) sb.Append($"(The licence text is the same as {same}'s above.)\n");
            else
            {
                seenLicences[c.LicenceText] = c.Id;
                sb.Append(c.LicenceText);
            }
            if (c.Notices is null) continue;
            sb.Append($"\n--- third-party notices carried by {c.Id} ---\n\n");
            if (seenNotices.TryGetValue(c.Notices, out var sameNotices)) sb.Append($"(The same as {sameNotices}'s above.)\n");
            else
            {
                seenNotices[c.Notices] = c.Id;
                sb.Append(c.Notices);
            }
        }
        return sb.ToString();
    }
}

/// <summary>The standard texts of the SPDX licences a package may name without shipping a licence file.</summary>
internal static class LicenceTexts
{
    public static string Standard(string expression, string copyright) => expression switch
    {
        "MIT" => $"""
            {copyright}

            Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
            documentation files (the "Software"), to deal in the Software without restriction, including without limitation
            the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
            to permit persons to whom the Software is furnished to do so, subject to the following conditions:

            The above copyright notice and this permission notice shall be included in all copies or substantial portions
            of the Software.

            THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
            THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
            AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
            CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
            IN THE SOFTWARE.

            """,
        "BSD-2-Clause" => $"""
            {copyright}

            Redistribution and use in source and binary forms, with or without modification, are permitted provided that
            the following conditions are met:

            1. Redistributions of source code must retain the above copyright notice, this list of conditions and the
               following disclaimer.

            2. Redistributions in binary form must reproduce the above copyright notice, this list of conditions and the
               following disclaimer in the documentation and/or other materials provided with the distribution.

            THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED
            WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A
            PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY
            DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO,
            PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
            CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR
            OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.

            """,
        "PostgreSQL" => $"""
            {copyright}

            Permission to use, copy, modify, and distribute this software and its documentation for any purpose, without
            fee, and without a written agreement is hereby granted, provided that the above copyright notice and this
            paragraph and the following two paragraphs appear in all copies.

            IN NO EVENT SHALL THE COPYRIGHT HOLDERS BE LIABLE TO ANY PARTY FOR DIRECT, INDIRECT, SPECIAL, INCIDENTAL, OR
            CONSEQUENTIAL DAMAGES, INCLUDING LOST PROFITS, ARISING OUT OF THE USE OF THIS SOFTWARE AND ITS DOCUMENTATION,
            EVEN IF THE COPYRIGHT HOLDERS HAVE BEEN ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.

            THE COPYRIGHT HOLDERS SPECIFICALLY DISCLAIM ANY WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
            WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE. THE SOFTWARE PROVIDED HEREUNDER IS ON AN
            "AS IS" BASIS, AND THE COPYRIGHT HOLDERS HAVE NO OBLIGATIONS TO PROVIDE MAINTENANCE, SUPPORT, UPDATES,
            ENHANCEMENTS, OR MODIFICATIONS.

            """,
        _ => throw new InvalidOperationException($"no standard text for the licence \"{expression}\"; add it to LicenceTexts"),
    };
}
