using System.Globalization;

namespace KeyVault.Signers;

/// <summary>The time zones a manifest records: IANA names, or fixed offsets "UTC", "UTC+05:30", "UTC-3".</summary>
public static class TimeZones
{
    /// <summary>The zone <paramref name="name"/> names, or null when this system does not know it.</summary>
    public static TimeZoneInfo? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var t = name.Trim();
        if (t is "UTC" or "GMT" or "Z") return TimeZoneInfo.Utc;
        if ((t.StartsWith("UTC", StringComparison.Ordinal) || t.StartsWith("GMT", StringComparison.Ordinal)) && t.Length > 3 && t[3] is '+' or '-')
        {
            var sign = t[3] == '-' ? -1 : 1;
            var parts = t[4..].Split(':');
            if (parts.Length is 1 or 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h <= 14
                && (parts.Length == 1 || (parts[1].Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var mm) && mm < 60)))
            {
                var minutes = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
                var offset = TimeSpan.FromMinutes(sign * (h * 60 + minutes));
                return TimeZoneInfo.CreateCustomTimeZone(t, offset, t, t);
            }
            return null;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(t, out var tz) ? tz : null;
    }
}
