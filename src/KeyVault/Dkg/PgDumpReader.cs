using System.Globalization;
using System.Text;
using KeyVault.Errors;

namespace KeyVault.Dkg;

/// <summary>
/// Reads the rows of <c>sbtc_signer.dkg_shares</c> out of a plain-SQL <c>pg_dump</c> backup: the <c>COPY … FROM
/// stdin</c> form pg_dump writes by default, and the <c>INSERT</c> forms of <c>--inserts</c>, <c>--column-inserts</c>
/// and <c>--rows-per-insert</c>. Strict: a dump cut short, a table without the columns the signer's migrations
/// create, or a value that is not what those columns hold is an error, never a row silently skipped.
/// </summary>
internal static class PgDumpReader
{
    private const string Table = "sbtc_signer.dkg_shares";
    private const string Trailer = "-- PostgreSQL database dump complete";

    /// <summary>
    /// Streams a plain-SQL dump and keeps only what concerns the DKG shares (their CREATE TABLE, COPY block or INSERT
    /// statements) and pg_dump's closing line, so a dump of a large signer database is never held in memory whole.
    /// </summary>
    public static string Filter(TextReader dump)
    {
        var kept = new StringBuilder();
        string? line;
        var state = 0; // 0 outside, 1 in the CREATE TABLE, 2 in the COPY block, 3 in an INSERT
        while ((line = dump.ReadLine()) is not null)
        {
            switch (state)
            {
                case 0:
                    if (line.StartsWith("CREATE TABLE " + Table + " (", StringComparison.Ordinal)) state = 1;
                    else if (line.StartsWith("COPY " + Table + " ", StringComparison.Ordinal)) state = 2;
                    else if (line.StartsWith("INSERT INTO " + Table + " ", StringComparison.Ordinal)) state = line.TrimEnd().EndsWith(';') ? 0 : 3;
                    else if (line.StartsWith(Trailer, StringComparison.Ordinal)) { kept.Append(line).Append('\n'); continue; }
                    else continue;
                    kept.Append(line).Append('\n');
                    break;
                case 1:
                    kept.Append(line).Append('\n');
                    if (line.StartsWith(");", StringComparison.Ordinal)) state = 0;
                    break;
                case 2:
                    kept.Append(line).Append('\n');
                    if (line == "\\.") state = 0;
                    break;
                default:
                    kept.Append(line).Append('\n');
                    if (line.TrimEnd().EndsWith(';')) state = 0;
                    break;
            }
        }
        return kept.ToString();
    }

    /// <summary>The rows in dump order; throws BadInput (no table, another schema) or DamagedFile (truncated, malformed).</summary>
    public static IReadOnlyList<DkgShareRow> Read(string sql, string source)
    {
        if (!sql.Contains(Trailer, StringComparison.Ordinal))
            throw new KeyVaultException(ErrorKind.DamagedFile, $"{source} does not end with pg_dump's closing line: the dump is truncated or not a plain-SQL pg_dump",
                "take the backup again, or check that the whole file was copied");
        var definition = Columns(sql, source);
        var rows = new List<DkgShareRow>();
        int i = 0;
        while (i < sql.Length)
        {
            int lineEnd = sql.IndexOf('\n', i);
            if (lineEnd < 0) lineEnd = sql.Length;
            var line = sql.AsSpan(i, lineEnd - i).TrimEnd('\r');
            if (line.StartsWith("COPY " + Table + " ", StringComparison.Ordinal))
            {
                var columns = ColumnList(line.ToString(), source);
                i = ReadCopy(sql, lineEnd + 1, columns, source, rows);
                continue;
            }
            if (line.StartsWith("INSERT INTO " + Table + " ", StringComparison.Ordinal))
            {
                i = ReadInsert(sql, i, definition, source, rows);
                continue;
            }
            i = lineEnd + 1;
        }
        return rows;
    }

    // ---- the table definition ----

    private static IReadOnlyList<string> Columns(string sql, string source)
    {
        int start = sql.IndexOf("CREATE TABLE " + Table + " (", StringComparison.Ordinal);
        if (start < 0)
            throw new KeyVaultException(ErrorKind.BadInput, $"{source} holds no table {Table}: it is not a backup of an sBTC signer database",
                "give the pg_dump of the signer's own database (the one its [signer] db_endpoint names)");
        int end = sql.IndexOf("\n);", start, StringComparison.Ordinal);
        if (end < 0) throw Malformed(source, "the CREATE TABLE of the DKG shares has no end");
        var body = sql[(sql.IndexOf('(', start) + 1)..end];
        var columns = new List<string>();
        foreach (var raw in body.Split('\n'))
        {
            var l = raw.Trim();
            if (l.Length == 0 || l.StartsWith("CONSTRAINT", StringComparison.Ordinal)) continue;
            columns.Add(l.Split(' ')[0].Trim('"'));
        }
        foreach (var required in new[] { "aggregate_key", "encrypted_private_shares", "created_at" })
            if (!columns.Contains(required))
                throw new KeyVaultException(ErrorKind.BadInput,
                    $"{source}: its {Table} has no column {required}: a schema version this KeyVault does not know",
                    "check that the dump is of an sBTC signer database");
        return columns;
    }

    private static List<string> ColumnList(string statement, string source)
    {
        int open = statement.IndexOf('('), close = statement.IndexOf(')');
        if (open < 0 || close < open) throw Malformed(source, "a COPY of the DKG shares names no columns");
        return statement[(open + 1)..close].Split(',').Select(c => c.Trim().Trim('"')).ToList();
    }

    // ---- COPY … FROM stdin ----

    private static int ReadCopy(string sql, int i, List<string> columns, string source, List<DkgShareRow> rows)
    {
        while (true)
        {
            if (i >= sql.Length) throw Truncated(source);
            int lineEnd = sql.IndexOf('\n', i);
            if (lineEnd < 0) throw Truncated(source);
            var line = sql[i..lineEnd].TrimEnd('\r');
            i = lineEnd + 1;
            if (line == "\\.") return i;
            var fields = line.Split('\t');
            if (fields.Length != columns.Count) throw Malformed(source, $"a row of the DKG shares has {fields.Length} fields, not {columns.Count}");
            rows.Add(Row(columns, fields.Select(UnescapeCopy).ToList(), source));
        }
    }

    private static string? UnescapeCopy(string field)
    {
        if (field == "\\N") return null;
        if (!field.Contains('\\')) return field;
        var sb = new StringBuilder(field.Length);
        for (int k = 0; k < field.Length; k++)
        {
            char c = field[k];
            if (c != '\\' || k + 1 == field.Length) { sb.Append(c); continue; }
            char n = field[++k];
            sb.Append(n switch { 't' => '\t', 'n' => '\n', 'r' => '\r', 'b' => '\b', 'f' => '\f', 'v' => '\v', _ => n });
        }
        return sb.ToString();
    }

    // ---- INSERT INTO … VALUES (…)[, (…)]; ----

    private static int ReadInsert(string sql, int i, IReadOnlyList<string> definition, string source, List<DkgShareRow> rows)
    {
        int k = i + ("INSERT INTO " + Table + " ").Length;
        var columns = definition.ToList();
        SkipSpace(sql, ref k);
        if (k < sql.Length && sql[k] == '(')
        {
            int close = sql.IndexOf(')', k);
            if (close < 0) throw Truncated(source);
            columns = sql[(k + 1)..close].Split(',').Select(c => c.Trim().Trim('"')).ToList();
            k = close + 1;
            SkipSpace(sql, ref k);
        }
        if (!sql.AsSpan(k).StartsWith("VALUES", StringComparison.Ordinal)) throw Malformed(source, "an INSERT of the DKG shares has no VALUES");
        k += "VALUES".Length;
        while (true)
        {
            SkipSpace(sql, ref k);
            if (k >= sql.Length || sql[k] != '(') throw Truncated(source);
            k++;
            var values = new List<string?>();
            while (true)
            {
                SkipSpace(sql, ref k);
                values.Add(Literal(sql, ref k, source));
                SkipSpace(sql, ref k);
                if (k >= sql.Length) throw Truncated(source);
                if (sql[k] == ',') { k++; continue; }
                if (sql[k] == ')') { k++; break; }
                throw Malformed(source, "an INSERT of the DKG shares has an unexpected character between values");
            }
            if (values.Count != columns.Count) throw Malformed(source, $"an INSERT of the DKG shares has {values.Count} values for {columns.Count} columns");
            rows.Add(Row(columns, values, source));
            SkipSpace(sql, ref k);
            if (k >= sql.Length) throw Truncated(source);
            if (sql[k] == ',') { k++; continue; }
            if (sql[k] == ';') return k + 1;
            throw Malformed(source, "an INSERT of the DKG shares does not end with ;");
        }
    }

    private static string? Literal(string sql, ref int k, string source)
    {
        if (sql.AsSpan(k).StartsWith("NULL", StringComparison.Ordinal)) { k += 4; return null; }
        if (k < sql.Length && sql[k] == '\'')
        {
            var sb = new StringBuilder();
            k++;
            while (true)
            {
                if (k >= sql.Length) throw Truncated(source);
                if (sql[k] == '\'')
                {
                    if (k + 1 < sql.Length && sql[k + 1] == '\'') { sb.Append('\''); k += 2; continue; }
                    k++;
                    break;
                }
                sb.Append(sql[k++]);
            }
            // A cast pg_dump may add after a literal ('…'::sbtc_signer.dkg_shares_status): the value is the literal.
            if (sql.AsSpan(k).StartsWith("::", StringComparison.Ordinal))
                while (k < sql.Length && sql[k] is not (',' or ')')) k++;
            return sb.ToString();
        }
        int start = k;
        while (k < sql.Length && sql[k] is not (',' or ')') && !char.IsWhiteSpace(sql[k])) k++;
        if (k == start) throw Malformed(source, "an INSERT of the DKG shares has an empty value");
        return sql[start..k];
    }

    private static void SkipSpace(string s, ref int k)
    {
        while (k < s.Length && char.IsWhiteSpace(s[k])) k++;
    }

    // ---- one row ----

    private static DkgShareRow Row(IReadOnlyList<string> columns, IReadOnlyList<string?> values, string source)
    {
        string? Get(string name)
        {
            int index = -1;
            for (int c = 0; c < columns.Count; c++) if (columns[c] == name) index = c;
            return index < 0 ? null : values[index];
        }
        var aggregateKey = Bytea(Get("aggregate_key"), "aggregate_key", source);
        var blob = Bytea(Get("encrypted_private_shares"), "encrypted_private_shares", source);
        var status = Get("dkg_shares_status");
        if (status is not (null or "unverified" or "verified" or "failed"))
            throw Malformed(source, "a DKG shares row has a status other than unverified, verified or failed");
        var created = Get("created_at") ?? throw Malformed(source, "a DKG shares row has no created_at");
        if (!DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            throw Malformed(source, "a DKG shares row's created_at is not a timestamp");
        return new DkgShareRow(aggregateKey, blob, status, at.ToUniversalTime());
    }

    private static byte[] Bytea(string? value, string column, string source)
    {
        if (value is null || !value.StartsWith("\\x", StringComparison.Ordinal) || (value.Length % 2) != 0)
            throw Malformed(source, $"a DKG shares row's {column} is not a bytea in hex form (\\x…)");
        try
        {
            return Convert.FromHexString(value.AsSpan(2));
        }
        catch (FormatException)
        {
            throw Malformed(source, $"a DKG shares row's {column} is not valid hex");
        }
    }

    private static KeyVaultException Truncated(string source) => new(ErrorKind.DamagedFile,
        $"{source} ends inside the DKG shares: the dump is truncated", "take the backup again, or check that the whole file was copied");

    private static KeyVaultException Malformed(string source, string what) => new(ErrorKind.DamagedFile,
        $"{source} is not a readable pg_dump: {what}", "give the dump as pg_dump wrote it");
}
