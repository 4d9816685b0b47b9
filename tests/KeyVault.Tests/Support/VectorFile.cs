using System.Text;

namespace KeyVault.Tests.Support;

/// <summary>
/// One vector case as every folder of test-vectors/ writes it (test-vectors/README.md, "One layout"): header lines
/// <c>name: value</c>, the first of them <c>expect</c> and the last <c>comment</c>, then one empty line, then the exact
/// bytes of the file under test to the end.
/// </summary>
internal sealed class VectorFile
{
    private VectorFile(IReadOnlyList<KeyValuePair<string, string>> header, byte[] body)
    {
        Header = header;
        Body = body;
    }

    /// <summary>The header lines, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Header { get; }

    /// <summary>The file under test, byte for byte.</summary>
    public byte[] Body { get; }

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Body);

    /// <summary>The value of the <c>expect</c> line.</summary>
    public string Expect => this["expect"];

    /// <summary>The value of header line <paramref name="name"/>; a missing line fails the test that asked.</summary>
    public string this[string name] =>
        Header.FirstOrDefault(h => h.Key == name).Value ?? throw new KeyNotFoundException($"the vector has no \"{name}\" line");

    /// <summary>The value of header line <paramref name="name"/>, or null.</summary>
    public string? Get(string name) => Header.FirstOrDefault(h => h.Key == name).Value;

    /// <summary>The file's text: the header lines, an empty line, the body.</summary>
    public static byte[] Format(IEnumerable<(string Name, string Value)> header, ReadOnlySpan<byte> body)
    {
        var lines = header.ToList();
        if (lines.Count < 2 || lines[0].Name != "expect" || lines[^1].Name != "comment")
            throw new ArgumentException("a vector's header starts with expect and ends with comment", nameof(header));
        var sb = new StringBuilder();
        if (lines.Select(l => l.Name).Distinct(StringComparer.Ordinal).Count() != lines.Count)
            throw new ArgumentException("a vector's header names each line once", nameof(header));
        foreach (var (name, value) in lines)
        {
            if (name.Length == 0 || name.Contains(':', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
                throw new ArgumentException($"header line {name} cannot be written on one line", nameof(header));
            sb.Append(name).Append(": ").Append(value).Append('\n');
        }
        sb.Append('\n');
        return [.. Encoding.UTF8.GetBytes(sb.ToString()), .. body];
    }

    /// <summary>The same, with a UTF-8 text body.</summary>
    public static byte[] Format(IEnumerable<(string Name, string Value)> header, string body) => Format(header, Encoding.UTF8.GetBytes(body));

    /// <summary>Reads a vector file.</summary>
    public static VectorFile Parse(byte[] file)
    {
        var header = new List<KeyValuePair<string, string>>();
        int at = 0;
        while (true)
        {
            int end = Array.IndexOf(file, (byte)'\n', at);
            if (end < 0) throw new FormatException("the vector's header does not end with an empty line");
            if (end == at) break;
            var line = Encoding.UTF8.GetString(file, at, end - at);
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0) throw new FormatException($"the vector's header line \"{line}\" is not NAME: VALUE");
            if (header.Any(h => h.Key == line[..colon])) throw new FormatException($"the vector's header line {line[..colon]} appears twice");
            header.Add(new(line[..colon], line[(colon + 2)..]));
            at = end + 1;
        }
        if (header.Count < 2 || header[0].Key != "expect" || header[^1].Key != "comment")
            throw new FormatException("a vector's header starts with expect and ends with comment");
        return new VectorFile(header, file[(at + 1)..]);
    }

    /// <summary>Reads the vector at <paramref name="path"/>.</summary>
    public static VectorFile Read(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>
    /// Holds a vector folder to its generator: with KEYVAULT_WRITE_VECTORS=1 the files are (re)written first; then every
    /// committed file must equal what was generated, byte for byte, and the folder must hold nothing else.
    /// </summary>
    public static void AssertFolderIs(string dir, IReadOnlyDictionary<string, byte[]> files)
    {
        if (Environment.GetEnvironmentVariable("KEYVAULT_WRITE_VECTORS") == "1")
        {
            Directory.CreateDirectory(dir);
            foreach (var (name, content) in files) File.WriteAllBytes(System.IO.Path.Combine(dir, name), content);
        }
        foreach (var (name, content) in files)
        {
            var path = System.IO.Path.Combine(dir, name);
            Assert.True(File.Exists(path), $"{path} is missing; run the tests with KEYVAULT_WRITE_VECTORS=1");
            // Hex, so a difference shows where it is.
            Assert.Equal(Convert.ToHexStringLower(content), Convert.ToHexStringLower(File.ReadAllBytes(path)));
        }
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), Directory.GetFiles(dir).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!);
    }

    /// <summary>Writes the body to <paramref name="path"/> (for a command that takes the file itself) and returns the path.</summary>
    public string WriteBody(string path)
    {
        File.WriteAllBytes(path, Body);
        return path;
    }
}
