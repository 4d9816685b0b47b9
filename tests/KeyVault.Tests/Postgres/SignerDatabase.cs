using System.Globalization;
using KeyVault.Tests.Support;
using Npgsql;

namespace KeyVault.Tests.Postgres;

/// <summary>
/// A throwaway database on the PostgreSQL server named by KEYVAULT_TEST_PG, created by the signer's own migrations
/// (signer-migrations/, copied from its repository) up to the one a test names: 22, the newest, unless told. Dropped
/// afterwards.
/// </summary>
internal sealed class SignerDatabase : IDisposable
{
    private readonly string _admin;

    /// <param name="withStatusColumn">False: stop before migration 0012 (no dkg_shares_status, no start block).</param>
    /// <param name="withTable">False: an empty database, no signer schema at all.</param>
    /// <param name="migration">The last migration to run (1 to 22); overrides <paramref name="withStatusColumn"/>.</param>
    public SignerDatabase(bool withStatusColumn = true, bool withTable = true, int? migration = null)
    {
        var server = Environment.GetEnvironmentVariable("KEYVAULT_TEST_PG");
        if (string.IsNullOrEmpty(server))
            External.Unavailable("KEYVAULT_TEST_PG is not set (a PostgreSQL connection string, set by tests/pg-test-server.sh)");
        _admin = server!;
        Name = "kv_drill_" + Guid.NewGuid().ToString("n");
        Exec(_admin, $"CREATE DATABASE {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = Name, Pooling = false }.ConnectionString;
        MigrateTo(withTable ? migration ?? (withStatusColumn ? SignerMigrations.Latest : 11) : 0);
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>The last migration run so far.</summary>
    public int Migration { get; private set; }

    /// <summary>Whether the table has the columns of migration 0012.</summary>
    public bool HasStatus => Migration >= 12;

    /// <summary>
    /// Runs the migrations after the current one up to <paramref name="last"/>, each in one transaction, as the signer
    /// does: with its connection's search_path (signer/src/storage/postgres/store.rs), so the tables a migration names
    /// without a schema (p2p_peers, 0019) land in sbtc_signer, where the signer reads them.
    /// </summary>
    public void MigrateTo(int last)
    {
        foreach (var (number, file) in SignerMigrations.Files().Where(f => f.Number > Migration && f.Number <= last))
        {
            var sql = File.ReadAllText(file);
            Exec(ConnectionString, $"""
                BEGIN;
                SET LOCAL search_path = sbtc_signer, public;
                CREATE TABLE IF NOT EXISTS public.__sbtc_migrations (key TEXT PRIMARY KEY);
                {sql}
                ;
                INSERT INTO public.__sbtc_migrations (key) VALUES ('{Path.GetFileName(file)}');
                COMMIT;
                """);
            Migration = number;
        }
        Migration = Math.Max(Migration, last);
    }

    /// <summary>The start block the signer records from migration 0012 on, made up from the row's aggregate key.</summary>
    public static byte[] StartBlockHash(byte[] aggregateKey) => System.Security.Cryptography.SHA256.HashData(aggregateKey);

    public void Insert(byte[] aggregateKey, byte[] blob, string status, DateTimeOffset createdAt)
    {
        using var c = new NpgsqlConnection(ConnectionString);
        c.Open();
        var columns = HasStatus ? ", dkg_shares_status, started_at_bitcoin_block_hash, started_at_bitcoin_block_height" : "";
        var values = HasStatus ? ", @status::sbtc_signer.dkg_shares_status, @hash, @height" : "";
        using var cmd = new NpgsqlCommand(
            $"INSERT INTO sbtc_signer.dkg_shares (aggregate_key, tweaked_aggregate_key, encrypted_private_shares, public_shares, "
            + $"script_pubkey, signer_set_public_keys, signature_share_threshold, created_at{columns}) "
            + $"VALUES (@ak, @ak, @blob, '\\x'::bytea, '\\x'::bytea, ARRAY[@ak], 1, @at{values})", c);
        cmd.Parameters.AddWithValue("ak", aggregateKey);
        cmd.Parameters.AddWithValue("blob", blob);
        cmd.Parameters.AddWithValue("at", createdAt);
        if (HasStatus)
        {
            cmd.Parameters.AddWithValue("status", status);
            cmd.Parameters.AddWithValue("hash", StartBlockHash(aggregateKey));
            cmd.Parameters.AddWithValue("height", 800_000L + aggregateKey[1]);
        }
        cmd.ExecuteNonQuery();
    }

    public void Exec(string sql) => Exec(ConnectionString, sql);

    /// <summary>The one value of a query.</summary>
    public object? Scalar(string sql)
    {
        using var c = new NpgsqlConnection(ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        return cmd.ExecuteScalar();
    }

    private static void Exec(string connectionString, string sql)
    {
        using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => Exec(_admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
}

/// <summary>The signer's migrations as copied into signer-migrations/ (README.md there says from where).</summary>
internal static class SignerMigrations
{
    /// <summary>The newest migration copied.</summary>
    public const int Latest = 22;

    public static string Folder => Path.Combine(External.RepoRoot, "tests", "KeyVault.Tests", "Postgres", "signer-migrations");

    /// <summary>Every migration file with its number, in the order the signer runs them (by file name).</summary>
    public static IReadOnlyList<(int Number, string Path)> Files() =>
        Directory.GetFiles(Folder, "*.sql").Order(StringComparer.Ordinal)
            .Select(f => (int.Parse(Path.GetFileName(f)[..4], CultureInfo.InvariantCulture), f)).ToList();
}
