using System.Globalization;
using KeyVault.Drill;
using KeyVault.Errors;
using Npgsql;

namespace KeyVault.Postgres;

/// <summary>
/// The connection forms an operator has: the signer's own <c>db_endpoint</c> URL
/// (<c>postgresql://user:password@host:port/database?sslmode=…</c>, as libpq and the signer's sqlx read it) or an Npgsql
/// key=value string. Both become an Npgsql connection string. No message ever quotes the password, or any value.
/// </summary>
public static class PostgresConnection
{
    /// <summary>True when <paramref name="text"/> is a postgresql:// or postgres:// URL.</summary>
    public static bool IsUrl(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>An Npgsql connection string for a URL or a key=value string; throws BadInput naming the part that is wrong.</summary>
    public static string Normalize(string text)
    {
        var t = text.Trim();
        if (!IsUrl(t))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(t).ConnectionString;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
            {
                throw DrillError.DbBadConnectionString();
            }
        }
        return FromUrl(t).ConnectionString;
    }

    /// <summary>True when the connection (either form) carries a password.</summary>
    public static bool HasPassword(string text)
    {
        try
        {
            return !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(Normalize(text)).Password);
        }
        catch (KeyVaultException)
        {
            return false;
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        var b = new NpgsqlConnectionStringBuilder();
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        int hash = rest.IndexOf('#');
        if (hash >= 0) rest = rest[..hash];
        string query = "";
        int q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }
        int slash = rest.IndexOf('/');
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? rest[(slash + 1)..] : "";
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            int colon = userInfo.IndexOf(':');
            b.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo, "user name");
            if (colon >= 0) b.Password = Decode(userInfo[(colon + 1)..], "password");
        }
        if (authority.Length > 0) SetHosts(b, authority);
        if (database.Length > 0) b.Database = Decode(database, "database name");
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw Bad("a query parameter is not of the form name=value");
            var name = Decode(pair[..eq], "parameter name");
            var value = Decode(pair[(eq + 1)..], name);
            Apply(b, name, value);
        }
        if (string.IsNullOrEmpty(b.Host)) b.Host = "localhost";
        return b;
    }

    // host, host:port, [v6], [v6]:port, and comma-separated lists of them (libpq's multi-host form).
    private static void SetHosts(NpgsqlConnectionStringBuilder b, string authority)
    {
        var hosts = new List<string>();
        int? port = null;
        foreach (var part in authority.Split(','))
        {
            string host = part, portText = "";
            if (part.StartsWith('['))
            {
                int close = part.IndexOf(']');
                if (close < 0) throw Bad("an IPv6 host has no closing ]");
                host = part[1..close];
                if (close + 1 < part.Length)
                {
                    if (part[close + 1] != ':') throw Bad("unexpected text after an IPv6 host");
                    portText = part[(close + 2)..];
                }
            }
            else
            {
                int colon = part.LastIndexOf(':');
                if (colon >= 0)
                {
                    host = part[..colon];
                    portText = part[(colon + 1)..];
                }
            }
            if (portText.Length > 0)
            {
                if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
                    throw Bad("the port is not a number from 1 to 65535");
                port ??= p;
            }
            hosts.Add(Decode(host, "host"));
        }
        b.Host = string.Join(',', hosts.Where(h => h.Length > 0));
        if (port is not null) b.Port = port.Value;
    }

    private static void Apply(NpgsqlConnectionStringBuilder b, string name, string value)
    {
        switch (name)
        {
            case "sslmode":
                b.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw Bad("sslmode is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                };
                break;
            case "sslrootcert": b.RootCertificate = value; break;
            case "sslcert": b.SslCertificate = value; break;
            case "sslkey": b.SslKey = value; break;
            case "sslpassword": b.SslPassword = value; break;
            case "application_name": b.ApplicationName = value; break;
            case "options": b.Options = value; break;
            case "user": b.Username = value; break;
            case "password": b.Password = value; break;
            case "dbname": b.Database = value; break;
            case "host" or "hostaddr": b.Host = value; break;
            case "port":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                    throw Bad("the port parameter is not a number from 1 to 65535");
                b.Port = port;
                break;
            case "connect_timeout":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                    throw Bad("connect_timeout is not a whole number of seconds");
                b.Timeout = seconds;
                break;
            case "target_session_attrs": b.TargetSessionAttributes = value; break;
            // Client-side settings of the signer's driver (sqlx) that change nothing for one read-only query.
            case "statement-cache-capacity" or "statement_cache_capacity": break;
            default: throw Bad($"the URL parameter '{Printable(name)}' is not one KeyVault knows");
        }
    }

    private static string Decode(string text, string what)
    {
        for (int i = text.IndexOf('%'); i >= 0; i = text.IndexOf('%', i + 1))
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                throw Bad($"the {what} has a bad percent-encoding");
        return Uri.UnescapeDataString(text);
    }

    private static string Printable(string s) => new(s.Where(c => !char.IsControl(c)).Take(40).ToArray());

    private static KeyVaultException Bad(string why) => new(ErrorKind.BadInput,
        $"the PostgreSQL URL is not valid: {why}",
        "write it as postgresql://user@host:5432/database, as the signer's db_endpoint; percent-encode special characters in the password");
}
