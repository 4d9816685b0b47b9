using System.Diagnostics;
using System.Text.RegularExpressions;
using KeyVault.Tests.Support;
using Npgsql;

namespace KeyVault.Tests.Postgres;

/// <summary>
/// Every <c>```sh runnable-postgres</c> block of docs/database-backup.md runs as written, in order, under
/// <c>bash -euo pipefail</c>, against the throwaway server of KEYVAULT_TEST_PG: the reader's privileges, the daily
/// dump script and its first run; then, the database lost and created again as for a new signer, the restore. The
/// dump script's failure path and pruning are run too.
/// </summary>
public sealed partial class DatabaseBackupRunbookTests
{
    [GeneratedRegex(@"^```sh runnable-postgres\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Block();

    private static (string Before, string After) Scripts()
    {
        var text = File.ReadAllText(External.RepoFile("docs/database-backup.md"));
        int lost = text.IndexOf("## After losing the database host", StringComparison.Ordinal);
        Assert.True(lost > 0);
        var blocks = Block().Matches(text);
        Assert.True(blocks.Count >= 3, "the runbook's runnable blocks are missing");
        return (string.Concat(blocks.Where(m => m.Index < lost).Select(m => m.Groups[1].Value)),
            string.Concat(blocks.Where(m => m.Index > lost).Select(m => m.Groups[1].Value)));
    }

    private static (int Code, string Out, string Err) Bash(string script, string dir, NpgsqlConnectionStringBuilder server, params (string, string)[] env)
    {
        var psi = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        var bin = Environment.GetEnvironmentVariable("PG_TEST_BINDIR");
        var published = Environment.GetEnvironmentVariable("KEYVAULT_PUBLISHED");
        psi.Environment["PATH"] = string.Join(Path.PathSeparator, new[] { string.IsNullOrEmpty(published) ? null : Path.GetDirectoryName(published), bin,
            Environment.GetEnvironmentVariable("PATH") }.Where(p => !string.IsNullOrEmpty(p)));
        psi.Environment["PGHOST"] = server.Host;
        psi.Environment["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PGUSER"] = server.Username;
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    /// <summary>Each statement on its own (CREATE DATABASE and DROP DATABASE run outside a transaction only).</summary>
    private static void Exec(string connection, string sql)
    {
        using var c = new NpgsqlConnection(connection);
        c.Open();
        foreach (var statement in sql.Contains("DATABASE", StringComparison.Ordinal) ? sql.Split("; ") : [sql])
        {
            using var cmd = new NpgsqlCommand(statement, c);
            cmd.ExecuteNonQuery();
        }
    }

    [Fact]
    public void TheRunbookBacksUpPrunesAlertsAndRestoresAsWritten()
    {
        var admin = Environment.GetEnvironmentVariable("KEYVAULT_TEST_PG");
        if (string.IsNullOrEmpty(admin))
        {
            External.Unavailable("KEYVAULT_TEST_PG is not set (a PostgreSQL connection string, set by tests/pg-test-server.sh)");
            return;
        }
        External.RequireTool("pg_dump", "postgresql-client");
        var server = new NpgsqlConnectionStringBuilder(admin) { Pooling = false };
        var (before, after) = Scripts();
        using var dir = new TempDir();
        var signerDb = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "signer" }.ConnectionString;
        var asSigner = new NpgsqlConnectionStringBuilder(signerDb) { Username = "signer" }.ConnectionString;
        // What the operator already has: the signer's user and database, migrated by the signer as that user, with a row.
        Exec(server.ConnectionString, "DROP DATABASE IF EXISTS signer WITH (FORCE); DROP ROLE IF EXISTS reader; DROP ROLE IF EXISTS signer; "
                                      + "CREATE ROLE signer LOGIN; CREATE DATABASE signer OWNER signer");
        try
        {
            foreach (var (_, file) in SignerMigrations.Files())
                Exec(asSigner, $"CREATE TABLE IF NOT EXISTS public.__sbtc_migrations (key TEXT PRIMARY KEY);\n{File.ReadAllText(file)}\n;\n"
                               + $"INSERT INTO public.__sbtc_migrations (key) VALUES ('{Path.GetFileName(file)}');");
            Exec(asSigner, """
                INSERT INTO sbtc_signer.dkg_shares VALUES ('\x02aa', '\x02bb', '\x00', '\x', '\x', ARRAY['\x02cc'::bytea], 1, now(),
                    'verified', '\x0000000000000000000000000000000000000000000000000000000000000001', 900000)
                """);

            var (code, stdout, stderr) = Bash(before, dir.Path, server);
            Assert.True(code == 0, $"runbook, before the loss: exit {code}\n{stdout}\n{stderr}");
            var dumps = Directory.GetFiles(Path.Combine(dir.Path, "backups"), "signer-*.dump");
            Assert.True(new FileInfo(Assert.Single(dumps)).Length > 1000);

            // Pruning, by the date in the names: 20 days old goes, a Monday 20 days back stays, anything past 92 days goes, keep/ is never touched.
            var today = DateTime.UtcNow.Date;
            string Name(DateTime d) => Path.Combine(dir.Path, "backups", $"signer-{d:yyyyMMdd}T020000Z.dump");
            var monday = today.AddDays(-20);
            while (monday.DayOfWeek != DayOfWeek.Monday) monday = monday.AddDays(-1);
            var tuesday = monday.AddDays(1);
            var yesterday = today.AddDays(-1);
            var ancientMonday = monday.AddDays(-7 * 14);
            foreach (var d in new[] { monday, tuesday, yesterday, ancientMonday }) File.WriteAllText(Name(d), "old dump");
            Directory.CreateDirectory(Path.Combine(dir.Path, "backups", "keep"));
            File.WriteAllText(Path.Combine(dir.Path, "backups", "keep", $"signer-{ancientMonday:yyyyMMdd}T020000Z.dump"), "kept");
            (code, _, stderr) = Bash("BACKUP_DIR=backups ./sbtc-signer-backup", dir.Path, server);
            Assert.True(code == 0, stderr);
            Assert.True(File.Exists(Name(monday)) && File.Exists(Name(yesterday)), "a weekly or a recent dump was pruned");
            Assert.False(File.Exists(Name(tuesday)), "a daily dump older than 14 days was kept");
            Assert.False(File.Exists(Name(ancientMonday)), "a dump older than 92 days was kept");
            Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "backups", "keep")));

            // Failure: the reader loses its access; no file of any size is left, the run exits 1 and the alert runs.
            Exec(signerDb, "REVOKE SELECT ON sbtc_signer.dkg_shares FROM reader");
            var count = Directory.GetFiles(Path.Combine(dir.Path, "backups")).Length;
            var alertLog = Path.Combine(dir.Path, "alert.log");
            (code, _, stderr) = Bash("BACKUP_DIR=backups BACKUP_ALERT='./alert' ./sbtc-signer-backup",
                dir.Path, server);
            Assert.NotEqual(0, code); // ./alert does not exist yet: a broken alert command must not hide the failure
            (code, _, stderr) = Bash($"printf '#!/bin/sh\\necho \"$*\" >> {alertLog}\\n' > alert; chmod +x alert; "
                                     + "BACKUP_DIR=backups BACKUP_ALERT=./alert ./sbtc-signer-backup", dir.Path, server);
            Assert.Equal(1, code);
            Assert.Contains("no dump was written", stderr);
            Assert.Contains("pg_dump of the sBTC signer database failed", File.ReadAllText(alertLog));
            Assert.Equal(count, Directory.GetFiles(Path.Combine(dir.Path, "backups")).Length);
            Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "backups"), "*.partial"));
            Assert.DoesNotContain(Directory.GetFiles(Path.Combine(dir.Path, "backups")), f => new FileInfo(f).Length == 0);

            // The database host is lost; the new one has the signer's user and an empty database it owns.
            foreach (var f in new[] { monday, yesterday }) File.Delete(Name(f)); // the newest real dump is the one to restore
            Exec(server.ConnectionString, "DROP DATABASE signer WITH (FORCE); CREATE DATABASE signer OWNER signer");
            (code, stdout, stderr) = Bash(after, dir.Path, server);
            Assert.True(code == 0, $"runbook, the restore: exit {code}\n{stdout}\n{stderr}");
            Assert.Equal("1", stdout.Trim());
            using var c = new NpgsqlConnection(signerDb);
            c.Open();
            using var owners = new NpgsqlCommand("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname IN ('sbtc_signer', 'public')", c);
            using var r = owners.ExecuteReader();
            var list = new List<string>();
            while (r.Read()) list.Add(r.GetString(0));
            Assert.Equal(["signer"], list);
        }
        finally
        {
            Exec(server.ConnectionString, "DROP DATABASE IF EXISTS signer WITH (FORCE); DROP ROLE IF EXISTS reader; DROP ROLE IF EXISTS signer");
        }
    }
}
