using KeyVault.Codecs;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Errors;
using KeyVault.Keys;
using KeyVault.Postgres;
using KeyVault.Tests.Drill;
using KeyVault.Tests.Support;
using Npgsql;


namespace KeyVault.Tests.Postgres;

public class DkgShareStoreTests
{
    private static SecretKey Key(string hex) => SecretKey.FromBytes(Hex.TryDecode(hex)!);
    private static readonly DateTimeOffset T0 = new(2025, 4, 1, 8, 0, 0, TimeSpan.Zero);
    private static byte[] AggregateKey(int i) => Hex.TryDecode(("02" + i.ToString("x2")).PadRight(66, '7'))!;

    [Fact]
    public void Rows_encrypted_by_the_signer_key_open_and_others_do_not()
    {
        using var db = new SignerDatabase();
        var plaintext = new byte[200];
        db.Insert(AggregateKey(1), SignerEncryption.Encrypt(TestKeys.Key1, plaintext), "verified", T0);
        db.Insert(AggregateKey(2), SignerEncryption.Encrypt(TestKeys.Key2, plaintext), "unverified", T0.AddDays(1));
        var damaged = SignerEncryption.Encrypt(TestKeys.Key1, plaintext);
        damaged[^1] ^= 0x80;
        db.Insert(AggregateKey(3), damaged, "failed", T0.AddDays(2));
        db.Insert(AggregateKey(4), SignerEncryption.Encrypt(TestKeys.Key1, plaintext)[..20], "unverified", T0.AddDays(3));

        var rows = DkgShareStore.ReadAll(db.ConnectionString);
        Assert.Equal([AggregateKey(1), AggregateKey(2), AggregateKey(3), AggregateKey(4)], rows.Select(r => r.AggregateKey).ToArray());
        Assert.Equal(["verified", "unverified", "failed", "unverified"], rows.Select(r => r.Status!).ToArray());
        Assert.Equal(T0, rows[0].CreatedAt);

        using var key1 = Key(TestKeys.Key1);
        Assert.Equal([DkgBlobOutcome.Opened, DkgBlobOutcome.NotOpened, DkgBlobOutcome.NotOpened, DkgBlobOutcome.Malformed],
            DkgShareRows.CheckAll(key1, rows).Select(r => r.Outcome).ToArray());
        using var key2 = Key(TestKeys.Key2);
        Assert.Equal([DkgBlobOutcome.NotOpened, DkgBlobOutcome.Opened, DkgBlobOutcome.NotOpened, DkgBlobOutcome.Malformed],
            DkgShareRows.CheckAll(key2, rows).Select(r => r.Outcome).ToArray());
    }

    [Fact]
    public void A_drill_of_a_different_backup_fails_identity_and_opens_nothing()
    {
        using var db = new SignerDatabase();
        db.Insert(AggregateKey(1), SignerEncryption.Encrypt(TestKeys.Key1, new byte[64]), "verified", T0);
        db.Insert(AggregateKey(2), SignerEncryption.Encrypt(TestKeys.Key1, new byte[64]), "verified", T0.AddHours(1));
        var expected = ExpectedIdentity.ParseValue(TestKeys.Key1Testnet);

        using (var right = Key(TestKeys.Key1))
        {
            var checks = DrillCheck.FromIdentity(expected.Match(right.PublicKey))
                .Concat(DkgShareRows.CheckAll(right, DkgShareStore.ReadAll(db.ConnectionString)).Select(r => DrillCheck.FromDkgRow(r))).ToList();
            Assert.Equal(3, checks.Count);
            Assert.Equal(DrillOutcome.Passed, DrillCheck.OutcomeOf(checks));
        }

        using var wrong = Key(TestKeys.Key2); // shares of another backup rebuild another key
        var wrongChecks = DrillCheck.FromIdentity(expected.Match(wrong.PublicKey))
            .Concat(DkgShareRows.CheckAll(wrong, DkgShareStore.ReadAll(db.ConnectionString)).Select(r => DrillCheck.FromDkgRow(r))).ToList();
        Assert.All(wrongChecks, c => Assert.Equal(DrillCheckResult.Fail, c.Result));
        Assert.Equal(DrillOutcome.IdentityMismatch, DrillCheck.OutcomeOf(wrongChecks));
        var report = DrillReportTests.Sample(wrong, expected, wrongChecks.Skip(1));
        var verified = DrillReport.Verify(report.Sign(wrong));
        Assert.True(verified.Valid);
        Assert.Equal(DrillOutcome.IdentityMismatch, verified.Report.Outcome);
    }

    [Fact]
    public void Databases_from_before_the_status_column_still_read()
    {
        using var db = new SignerDatabase(withStatusColumn: false);
        db.Insert(AggregateKey(9), SignerEncryption.Encrypt(TestKeys.Key1, [1]), "", T0);
        var row = Assert.Single(DkgShareStore.ReadAll(db.ConnectionString));
        Assert.Null(row.Status);
    }

    [Fact]
    public void Empty_table_gives_no_rows()
    {
        using var db = new SignerDatabase();
        Assert.Empty(DkgShareStore.ReadAll(db.ConnectionString));
    }

    [Fact]
    public void Database_without_the_signer_schema_is_named_as_such()
    {
        using var db = new SignerDatabase(withTable: false);
        var ex = Assert.Throws<KeyVaultException>(() => DkgShareStore.ReadAll(db.ConnectionString));
        Assert.Contains("no table sbtc_signer.dkg_shares", ex.Message);
        Assert.Contains(db.Name, ex.Message);
        Assert.NotNull(ex.Hint);
    }

    [Fact]
    public void User_without_select_permission_is_told_so()
    {
        using var db = new SignerDatabase();
        var role = "kv_noread_" + Guid.NewGuid().ToString("n")[..8];
        db.Exec($"CREATE ROLE {role} LOGIN");
        try
        {
            var asRole = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role }.ConnectionString;
            var ex = Assert.Throws<KeyVaultException>(() => DkgShareStore.ReadAll(asRole));
            Assert.Contains("may not read", ex.Message);
            Assert.Contains(role + "@", ex.Message);
        }
        finally
        {
            db.Exec($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public void The_query_runs_in_a_read_only_transaction()
    {
        using var db = new SignerDatabase();
        // A stand-in table whose every read tries to write: the server refuses the write (SQLSTATE 25006) only if
        // the reader really runs read-only, and then nothing may have been written.
        db.Exec("""
            CREATE TABLE public.writes (at timestamptz);
            CREATE FUNCTION public.write_on_read() RETURNS bytea LANGUAGE plpgsql VOLATILE AS $$
                BEGIN INSERT INTO public.writes VALUES (now()); RETURN '\x00'::bytea; END $$;
            ALTER TABLE sbtc_signer.dkg_shares RENAME TO dkg_shares_data;
            CREATE VIEW sbtc_signer.dkg_shares AS
                SELECT '\x02'::bytea AS aggregate_key, public.write_on_read() AS encrypted_private_shares,
                       'verified'::sbtc_signer.dkg_shares_status AS dkg_shares_status, now() AS created_at;
            """);
        var ex = Assert.Throws<KeyVaultException>(() => DkgShareStore.ReadAll(db.ConnectionString));
        Assert.Contains("25006", ex.Message);
        using var c = new NpgsqlConnection(db.ConnectionString);
        c.Open();
        using var count = new NpgsqlCommand("SELECT count(*) FROM public.writes", c);
        Assert.Equal(0L, count.ExecuteScalar());
    }

    [Fact]
    public void Connection_failures_never_show_the_password()
    {
        const string secret = "Pa55-word-that-must-not-leak";
        var ex = Assert.Throws<KeyVaultException>(() =>
            DkgShareStore.ReadAll($"Host=127.0.0.1;Port=1;Database=signer;Username=reader;Password={secret};Timeout=3"));
        Assert.Contains("reader@127.0.0.1:1/signer", ex.Message);
        Assert.DoesNotContain(secret, ex.Message + ex.Hint + ex.InnerException);
        Assert.True(DkgShareStore.HasPassword($"Host=x;Password={secret}"));
        Assert.False(DkgShareStore.HasPassword("Host=x;Username=y"));
    }

    [Fact]
    public void Malformed_connection_string_is_refused_without_echo()
    {
        const string secret = "hunter2-secret";
        foreach (var text in new[] { $"Host=x;Password={secret};NoSuchKeyword=1", $"Database=signer;Password={secret}", $"Host=x;Port=zero;Password={secret}" })
        {
            var ex = Assert.Throws<KeyVaultException>(() => DkgShareStore.ReadAll(text));
            Assert.Contains("connection string is not valid", ex.Message);
            Assert.DoesNotContain(secret, ex.Message + ex.Hint);
        }
    }

    [Fact]
    public void Missing_database_is_reported_with_where_it_was_looked_for()
    {
        var server = Environment.GetEnvironmentVariable("KEYVAULT_TEST_PG");
        if (string.IsNullOrEmpty(server))
        {
            External.Unavailable("KEYVAULT_TEST_PG is not set (a PostgreSQL connection string, set by tests/pg-test-server.sh)");
            return;
        }
        var missing = new NpgsqlConnectionStringBuilder(server) { Database = "kv_no_such_db_" + Guid.NewGuid().ToString("n")[..8] };
        var ex = Assert.Throws<KeyVaultException>(() => DkgShareStore.ReadAll(missing.ConnectionString));
        Assert.Contains(missing.Database!, ex.Message);
        Assert.Contains("3D000", ex.Message);
    }
}
