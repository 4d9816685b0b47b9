using System.Diagnostics;
using System.Text;
using KeyVault.Errors;

namespace KeyVault.Dkg;

/// <summary>
/// A <c>pg_dump</c> backup of the signer's database as a drill's source of DKG share rows. Plain SQL is read
/// directly (<see cref="PgDumpReader"/>); the custom (<c>-Fc</c>), directory (<c>-Fd</c>) and tar (<c>-Ft</c>) formats
/// are turned into plain SQL for the one table by PostgreSQL's own <c>pg_restore -f -</c>, which never touches a
/// database that way. The backup is only read.
/// </summary>
/// <param name="path">The dump file, or the folder of a directory-format dump.</param>
internal sealed class PgDumpSource(string path) : IDkgShareSource
{
    /// <summary>The formats pg_dump writes.</summary>
    public enum Format
    {
        /// <summary>Plain SQL (the default, -Fp).</summary>
        Plain,
        /// <summary>pg_dump's custom archive (-Fc), starting "PGDMP".</summary>
        Custom,
        /// <summary>A folder with toc.dat (-Fd).</summary>
        Directory,
        /// <summary>A tar archive (-Ft).</summary>
        Tar,
    }

    /// <inheritdoc />
    public string Description => $"pg_dump {System.IO.Path.GetFileName(path.TrimEnd('/'))}";

    /// <summary>Which format the dump is in, from its first bytes.</summary>
    public static Format Detect(string path)
    {
        if (System.IO.Directory.Exists(path))
        {
            if (!File.Exists(System.IO.Path.Combine(path, "toc.dat")))
                throw new KeyVaultException(ErrorKind.BadInput, $"{path} is a folder without toc.dat: not a directory-format pg_dump",
                    "give the dump file, or the folder pg_dump -Fd wrote");
            return Format.Directory;
        }
        if (!File.Exists(path)) throw new KeyVaultException(ErrorKind.BadInput, $"{path} does not exist", "check the path of the dump");
        var head = new byte[512];
        int n;
        using (var f = File.OpenRead(path)) n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 5 && head.AsSpan(0, 5).SequenceEqual("PGDMP"u8)) return Format.Custom;
        // pg_dump | gzip, or pg_dump -Z with the plain format: refused with the one command that makes it readable,
        // rather than decompressed here without a bound on the size of a whole signer database.
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
            throw new KeyVaultException(ErrorKind.BadInput, $"{path} is compressed with gzip, and a plain-SQL dump is read uncompressed",
                $"gunzip -k {path}, and give the file it writes (pg_dump's custom format, -Fc, is compressed already and is read as it is)");
        if (n >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8)) return Format.Tar;
        return Format.Plain;
    }

    /// <inheritdoc />
    public IReadOnlyList<DkgShareRow> ReadRows()
    {
        var format = Detect(path);
        if (format == Format.Plain)
        {
            using var reader = new StreamReader(path, new UTF8Encoding(false, true));
            string sql;
            try
            {
                sql = PgDumpReader.Filter(reader);
            }
            catch (DecoderFallbackException)
            {
                throw new KeyVaultException(ErrorKind.DamagedFile, $"{path} is neither plain SQL nor a pg_dump archive",
                    "give a file pg_dump wrote (plain, -Fc, -Fd or -Ft)");
            }
            return PgDumpReader.Read(sql, path);
        }
        return PgDumpReader.Read(Restore(format), path);
    }

    /// <summary>
    /// The tables whose data the dump holds, as "schema.table": for plain SQL, those with a COPY block or an INSERT;
    /// for the archive formats, those with a TABLE DATA entry in the archive's table of contents (<c>pg_restore
    /// -l</c>). A dump made with --schema-only or --exclude-table-data holds no data for the tables left out.
    /// </summary>
    public IReadOnlySet<string> TablesWithData()
    {
        var format = Detect(path);
        var tables = new HashSet<string>(StringComparer.Ordinal);
        if (format == Format.Plain)
        {
            using var reader = new StreamReader(path, new UTF8Encoding(false, false));
            string? line;
            bool inCopy = false;
            while ((line = reader.ReadLine()) is not null)
            {
                // The rows of a COPY block are data, whatever they start with.
                if (inCopy)
                {
                    inCopy = line != "\\.";
                    continue;
                }
                inCopy = line.StartsWith("COPY ", StringComparison.Ordinal) && line.EndsWith("FROM stdin;", StringComparison.Ordinal);
                var rest = line.StartsWith("COPY ", StringComparison.Ordinal) ? line[5..]
                    : line.StartsWith("INSERT INTO ", StringComparison.Ordinal) ? line[12..] : null;
                if (rest is null) continue;
                int end = rest.IndexOfAny([' ', '(']);
                if (end > 0) tables.Add(rest[..end]);
            }
            return tables;
        }
        // A table of contents line: "3456; 0 16789 TABLE DATA sbtc_signer dkg_shares signer".
        RunRestore(format, ["-l", path], output =>
        {
            string? line;
            while ((line = output.ReadLine()) is not null)
            {
                if (line.StartsWith(';')) continue;
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length >= 7 && words[0].EndsWith(';') && words[3] == "TABLE" && words[4] == "DATA")
                    tables.Add(words[5] + "." + words[6]);
            }
            return 0;
        });
        return tables;
    }

    // pg_restore -f - -n sbtc_signer -t dkg_shares: that one table, as plain SQL on standard output.
    private string Restore(Format format) =>
        RunRestore(format, ["-f", "-", "-n", "sbtc_signer", "-t", "dkg_shares", path], PgDumpReader.Filter);

    private T RunRestore<T>(Format format, string[] arguments, Func<TextReader, T> read)
    {
        var tool = FindTool("pg_restore") ?? throw new KeyVaultException(ErrorKind.BadInput,
            $"reading a {format.ToString().ToLowerInvariant()}-format pg_dump needs pg_restore, which is not installed",
            "install PostgreSQL's client programs (Debian and Ubuntu: apt-get install postgresql-client), or give a plain-SQL dump");
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new KeyVaultException(ErrorKind.BadInput, "pg_restore could not be started", "check the installation");
        var stderr = p.StandardError.ReadToEndAsync();
        var result = read(p.StandardOutput);
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            var first = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? $"exit code {p.ExitCode}";
            throw new KeyVaultException(ErrorKind.DamagedFile, $"pg_restore could not read {path}: {first.Trim()}",
                "check that the dump was copied whole; a pg_restore older than the pg_dump that wrote it cannot read it");
        }
        return result;
    }

    private static string? FindTool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                     .Concat(PostgresBinaries()))
        {
            var candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    // Debian installs the server's programs under /usr/lib/postgresql/VERSION/bin; newest first.
    private static IEnumerable<string> PostgresBinaries() =>
        System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => System.IO.Path.Combine(d, "bin"))
            : [];
}
