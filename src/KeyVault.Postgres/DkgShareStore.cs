using System.Net.Sockets;
using KeyVault.Dkg;
using KeyVault.Drill;
using KeyVault.Errors;
using Npgsql;

namespace KeyVault.Postgres;

/// <summary>
/// Reads the sBTC signer's encrypted DKG shares from its PostgreSQL database with Npgsql, in a read-only
/// transaction. Error messages name host, port, database and user, never the password.
/// </summary>
public static class DkgShareStore
{
    /// <summary>The query, documented in docs/drill.md.</summary>
    internal const string SelectSql =
        "SELECT aggregate_key, encrypted_private_shares, {0}, created_at FROM sbtc_signer.dkg_shares ORDER BY created_at, aggregate_key";

    /// <summary>
    /// Connects with <paramref name="connectionString"/> (Npgsql keyword form; a password is best kept in ~/.pgpass
    /// or PGPASSFILE, which Npgsql reads), and returns every row of sbtc_signer.dkg_shares, oldest first.
    /// </summary>
    /// <exception cref="KeyVaultException">Bad connection string, cannot connect or log in, no such table, no permission.</exception>
    public static IReadOnlyList<DkgShareRow> ReadAll(string connectionString) =>
        InTransaction(connectionString, readOnly: true, "keyvault-drill", (connection, transaction, where) =>
        {
            if (!HasTable(connection, transaction, out bool hasStatus)) throw DrillError.DbNoTable(where);
            // The status is an enum type of the signer's schema; reading it as text needs no type mapping.
            var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, SelectSql,
                hasStatus ? "dkg_shares_status::text" : "NULL::text");
            var rows = new List<DkgShareRow>();
            using var select = new NpgsqlCommand(sql, connection, transaction);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(new DkgShareRow(
                    reader.GetFieldValue<byte[]>(0),
                    reader.GetFieldValue<byte[]>(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3)));
            }
            return rows;
        });

    /// <summary>Whether sbtc_signer.dkg_shares exists, and whether it has the status columns of migration 0012.</summary>
    internal static bool HasTable(NpgsqlConnection connection, NpgsqlTransaction transaction, out bool hasStatus)
    {
        using var probe = new NpgsqlCommand(
            "SELECT to_regclass('sbtc_signer.dkg_shares') IS NOT NULL, EXISTS (SELECT 1 FROM information_schema.columns "
            + "WHERE table_schema = 'sbtc_signer' AND table_name = 'dkg_shares' AND column_name = 'dkg_shares_status')",
            connection, transaction);
        using var reader = probe.ExecuteReader();
        reader.Read();
        hasStatus = reader.GetBoolean(1);
        return reader.GetBoolean(0);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction (read-only, rolled back; or committed), mapping every failure to
    /// an error that names user@host:port/database and the server's reason, never the password.
    /// </summary>
    internal static T InTransaction<T>(string connectionString, bool readOnly, string application,
        Func<NpgsqlConnection, NpgsqlTransaction, string, T> work)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(PostgresConnection.Normalize(connectionString));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            throw DrillError.DbBadConnectionString();
        }
        var where = Describe(builder);
        var password = builder.Password;
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = application;

        try
        {
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            using var transaction = connection.BeginTransaction();
            if (readOnly) Execute(connection, transaction, "SET TRANSACTION READ ONLY");
            var result = work(connection, transaction, where);
            if (readOnly) transaction.Rollback();
            else transaction.Commit();
            return result;
        }
        catch (PostgresException ex)
        {
            var reason = Scrub($"{ex.MessageText} (SQLSTATE {ex.SqlState})", password);
            throw ex.SqlState switch
            {
                "28P01" or "28000" => DrillError.DbAuthentication(where, reason),
                "42P01" or "3F000" => DrillError.DbNoTable(where),
                "42501" => readOnly ? DrillError.DbPermission(where) : DrillError.DbWritePermission(where),
                "3D000" => DrillError.DbCannotConnect(where, reason),
                _ => readOnly ? DrillError.DbQueryFailed(where, reason) : DrillError.DbWriteFailed(where, reason),
            };
        }
        catch (NpgsqlException ex)
        {
            throw DrillError.DbCannotConnect(where, Scrub(Reason(ex), password));
        }
        catch (TimeoutException)
        {
            throw DrillError.DbCannotConnect(where, "timed out");
        }
        catch (ArgumentException)
        {
            // Npgsql checks some settings (a host, for one) only when opening; its message may quote the string.
            throw DrillError.DbBadConnectionString();
        }
    }

    /// <summary>True when the connection (URL or key=value) carries a password (the CLI warns: it would sit in the shell history).</summary>
    public static bool HasPassword(string connectionString) => PostgresConnection.HasPassword(connectionString);

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    /// <summary>"user@host:port/database", from the builder, so no message ever carries the password.</summary>
    private static string Describe(NpgsqlConnectionStringBuilder b)
    {
        var host = string.IsNullOrEmpty(b.Host) ? "localhost" : b.Host;
        var user = string.IsNullOrEmpty(b.Username) ? "" : b.Username + "@";
        var database = string.IsNullOrEmpty(b.Database) ? "" : "/" + b.Database;
        return $"{user}{host}:{b.Port}{database}";
    }

    private static string Reason(NpgsqlException ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is SocketException se) return se.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (is the server running and listening there?)",
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                SocketError.TimedOut => "timed out",
                _ => se.SocketErrorCode.ToString(),
            };
        return ex.InnerException is TimeoutException ? "timed out" : ex.Message;
    }

    /// <summary>Belt and braces: even a driver message is never allowed to echo the password.</summary>
    private static string Scrub(string message, string? password) =>
        string.IsNullOrEmpty(password) ? message : message.Replace(password, "********", StringComparison.Ordinal);
}
