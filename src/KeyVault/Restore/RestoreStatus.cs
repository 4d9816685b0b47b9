using System.Text;
using System.Text.Json;
using KeyVault.Manifest;

namespace KeyVault.Restore;

/// <summary>One share in a restore session: where it sits and who brought it (from the manifest, when the session has one).</summary>
/// <param name="Group">Group number, 1-based.</param>
/// <param name="Member">Share number, 1 to 16.</param>
/// <param name="Custodian">The registered custodian, or null without a manifest.</param>
/// <param name="AddedAt">When it was added (UTC, whole seconds).</param>
public sealed record CollectedShare(int Group, int Member, string? Custodian, DateTimeOffset AddedAt);

/// <summary>How far one group is.</summary>
/// <param name="Group">Group number, 1-based.</param>
/// <param name="MemberThreshold">Shares the group needs, or null while unknown (no manifest and none of its shares yet).</param>
/// <param name="Collected">Shares of the group in the session.</param>
public sealed record GroupNeed(int Group, int? MemberThreshold, int Collected)
{
    /// <summary>Shares still missing, or null while the threshold is unknown.</summary>
    public int? Needed => MemberThreshold is int t ? Math.Max(0, t - Collected) : null;

    /// <summary>True when the group has enough shares.</summary>
    public bool Complete => MemberThreshold is int t && Collected >= t;
}

/// <summary>
/// The public part of a restore session, readable without the session passphrase: which backup, which share numbers
/// are in, and what is still needed. Holds no secret. docs/restore-session-format.md, section 3.
/// </summary>
/// <param name="CreatedAt">When the session was started.</param>
/// <param name="UpdatedAt">When it was last written.</param>
/// <param name="BackupId">The backup's identifier, or null before the first share (without a manifest).</param>
/// <param name="PublicKey">The expected key (from the manifest), or null.</param>
/// <param name="Fingerprint">The expected key's fingerprint, or null.</param>
/// <param name="ManifestSha256">SHA-256 of the manifest copy in the session folder, or null.</param>
/// <param name="GroupThreshold">Groups needed, or null while unknown.</param>
/// <param name="GroupCount">Groups of the backup, or null while unknown.</param>
/// <param name="Shares">The shares in the session, in the order added.</param>
/// <param name="Groups">Every group of the backup once known, in order.</param>
public sealed record RestoreStatus(DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int? BackupId, string? PublicKey, string? Fingerprint,
    string? ManifestSha256, int? GroupThreshold, int? GroupCount, IReadOnlyList<CollectedShare> Shares, IReadOnlyList<GroupNeed> Groups)
{
    /// <summary>Value of the status's "format" member.</summary>
    public const string FormatName = "keyvault-restore-session";

    /// <summary>True when enough groups are complete to rebuild the key.</summary>
    public bool CanRebuild => GroupThreshold is int gt && Groups.Count(g => g.Complete) >= gt;

    /// <summary>One line: what is in and what is missing.</summary>
    public string Summary
    {
        get
        {
            if (Shares.Count == 0) return "no shares yet";
            var have = string.Join(", ", Shares.Select(s => ShareCheck.Slot(GroupCount ?? 1, s.Group, s.Member) + (s.Custodian is null ? "" : $" ({s.Custodian})")));
            if (CanRebuild) return $"shares {have}: enough to rebuild the key";
            var missing = Groups.Where(g => !g.Complete).Select(g => g.Needed is int n
                ? (GroupCount > 1 ? $"{n} more of group {g.Group}" : $"{n} more share{(n == 1 ? "" : "s")}")
                : $"group {g.Group}: threshold not known yet");
            string groups = GroupCount > 1 ? $"; {Groups.Count(g => g.Complete)} of {GroupThreshold} groups complete" : "";
            return $"shares {have}{groups}; need {string.Join(", ", missing)}";
        }
    }

    /// <summary>The status's JSON (compact, UTF-8), as stored in the session file's header.</summary>
    internal byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", 1);
            w.WriteString("createdAt", BackupManifest.FormatTime(CreatedAt));
            w.WriteString("updatedAt", BackupManifest.FormatTime(UpdatedAt));
            if (PublicKey is null) w.WriteNull("manifest");
            else
            {
                w.WriteStartObject("manifest");
                w.WriteString("publicKey", PublicKey);
                w.WriteString("fingerprint", Fingerprint);
                w.WriteString("sha256", ManifestSha256);
                w.WriteEndObject();
            }
            Nullable(w, "backupId", BackupId);
            Nullable(w, "groupThreshold", GroupThreshold);
            Nullable(w, "groupCount", GroupCount);
            w.WriteStartArray("shares");
            foreach (var s in Shares)
            {
                w.WriteStartObject();
                w.WriteNumber("group", s.Group);
                w.WriteNumber("member", s.Member);
                if (s.Custodian is null) w.WriteNull("custodian"); else w.WriteString("custodian", s.Custodian);
                w.WriteString("addedAt", BackupManifest.FormatTime(s.AddedAt));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("groups");
            foreach (var g in Groups)
            {
                w.WriteStartObject();
                w.WriteNumber("group", g.Group);
                Nullable(w, "memberThreshold", g.MemberThreshold);
                w.WriteNumber("collected", g.Collected);
                Nullable(w, "needed", g.Needed);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteBoolean("canRebuild", CanRebuild);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void Nullable(Utf8JsonWriter w, string name, int? value)
    {
        if (value is int v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    /// <summary>Reads the status JSON of a session file header. Throws DamagedFile.</summary>
    internal static RestoreStatus Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(json), new JsonDocumentOptions { AllowDuplicateProperties = false });
            var r = doc.RootElement;
            if (Str(r, "format") != FormatName || r.GetProperty("version").GetInt32() != 1) throw RestoreError.Damaged("its status is not a version-1 session status");
            string? publicKey = null, fingerprint = null, sha = null;
            var m = r.GetProperty("manifest");
            if (m.ValueKind == JsonValueKind.Object)
            {
                publicKey = Str(m, "publicKey");
                fingerprint = Str(m, "fingerprint");
                sha = Str(m, "sha256");
            }
            else if (m.ValueKind != JsonValueKind.Null) throw RestoreError.Damaged("its status's manifest member is neither an object nor null");
            var shares = r.GetProperty("shares").EnumerateArray().Select(s => new CollectedShare(s.GetProperty("group").GetInt32(),
                s.GetProperty("member").GetInt32(), s.GetProperty("custodian").ValueKind == JsonValueKind.Null ? null : Str(s, "custodian"),
                Time(s, "addedAt"))).ToList();
            var groups = r.GetProperty("groups").EnumerateArray().Select(g => new GroupNeed(g.GetProperty("group").GetInt32(),
                Int(g, "memberThreshold"), g.GetProperty("collected").GetInt32())).ToList();
            var status = new RestoreStatus(Time(r, "createdAt"), Time(r, "updatedAt"), Int(r, "backupId"), publicKey, fingerprint, sha,
                Int(r, "groupThreshold"), Int(r, "groupCount"), shares, groups);
            // The derived members must agree with the rest, so a reader using jq sees what keyvault sees.
            if (r.GetProperty("canRebuild").GetBoolean() != status.CanRebuild
                || r.GetProperty("groups").EnumerateArray().Zip(groups).Any(p => Int(p.First, "needed") != p.Second.Needed))
                throw RestoreError.Damaged("its status contradicts itself");
            return status;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or DecoderFallbackException)
        {
            throw RestoreError.Damaged("its public status is not valid JSON of the documented form");
        }
    }

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? throw new FormatException(name);

    private static int? Int(JsonElement e, string name)
    {
        var v = e.GetProperty(name);
        return v.ValueKind == JsonValueKind.Null ? null : v.GetInt32();
    }

    private static DateTimeOffset Time(JsonElement e, string name) =>
        BackupManifest.TryParseTime(Str(e, name), out var t) ? t : throw new FormatException(name);
}
