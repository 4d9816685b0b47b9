using System.Text.Json;
using KeyVault.Codecs;
using KeyVault.Keys;

namespace KeyVault.Manifest;

/// <summary>
/// The one place that reads manifest JSON into a <see cref="BackupManifest"/> and checks the rules of
/// docs/manifest.md section 2. Strict: unknown members, wrong types and inconsistent fields are refused.
/// </summary>
internal static class ManifestReader
{
    private static readonly string[] TopMembersV1 =
        ["format", "version", "createdAt", "tool", "label", "org", "contact", "identity", "backup", "shares", "retired", "history", "signature"];

    private static readonly string[] TopMembersV2 =
        ["format", "version", "createdAt", "revision", "supersedes", "tool", "label", "org", "contact", "identity", "backup", "shares", "retired", "history", "signature"];

    private static readonly string[] ShareMembersV1 = ["group", "member", "custodian", "commitment", "ageRecipient"];

    private static readonly string[] ShareMembersV2 = ["group", "member", "custodian", "commitment", "ageRecipient", "contact", "timeZone", "departed"];

    private static readonly string[] ShareMembersV3 = [.. ShareMembersV2, "recipientType"];

    private static readonly string[] RetiredMembersV1 = ["backupId", "retiredAt", "reason", "commitments"];

    private static readonly string[] RetiredMembersV4 = [.. RetiredMembersV1, "rotation"];

    public static BackupManifest Read(JsonElement root)
    {
        try
        {
            return ReadUnchecked(root);
        }
        catch (InvalidOperationException)
        {
            throw ManifestError.Malformed("a string holds a lone UTF-16 surrogate");
        }
    }

    private static BackupManifest ReadUnchecked(JsonElement root)
    {
        var format = root.TryGetProperty("format", out var f) ? f.ToString() : "(none)";
        var version = root.TryGetProperty("version", out var v) ? v.GetRawText() : "(none)";
        if (format != BackupManifest.FormatName || version is not ("1" or "2" or "3" or "4")) throw ManifestError.Unsupported(format, version);
        bool v2 = version is "2" or "3" or "4"; // version 3 is version 2 with each share's recipientType
        bool v3 = version is "3" or "4";
        bool v4 = version == "4"; // version 4 is version 3 with each retired entry's rotation
        OnlyMembers(root, "the manifest", v2 ? TopMembersV2 : TopMembersV1);

        var created = ReqTime(root, "createdAt", "createdAt");
        int revision = v2 ? ReqInt(root, "revision", "revision") : 1;
        var supersedes = v2 ? OptString(root, "supersedes", "supersedes") : null;
        var tool = ReqObject(root, "tool", "tool");
        OnlyMembers(tool, "tool", "name", "version", "executableSha256");
        if (ReqString(tool, "name", "tool.name") != "keyvault") throw ManifestError.Malformed("tool.name is not \"keyvault\"");
        var toolVersion = ReqString(tool, "version", "tool.version");
        var exe = OptString(tool, "executableSha256", "tool.executableSha256");

        var identityElement = ReqObject(root, "identity", "identity");
        OnlyMembers(identityElement, "identity", "publicKey", "fingerprint", "stacksAddress", "peerId");
        var key = ReadPublicKey(ReqString(identityElement, "publicKey", "identity.publicKey"), "identity.publicKey");
        var addresses = ReqObject(identityElement, "stacksAddress", "identity.stacksAddress");
        OnlyMembers(addresses, "identity.stacksAddress", "mainnet", "testnet");
        var identity = new SignerIdentity(key.Hex66, ReqString(identityElement, "fingerprint", "identity.fingerprint"),
            ReqString(addresses, "mainnet", "identity.stacksAddress.mainnet"), ReqString(addresses, "testnet", "identity.stacksAddress.testnet"),
            ReqString(identityElement, "peerId", "identity.peerId"));
        if (identity != key.Identity()) throw ManifestError.Malformed("the identity's fields do not all belong to identity.publicKey");

        var backup = ReqObject(root, "backup", "backup");
        OnlyMembers(backup, "backup", "id", "iterationExponent", "extendable", "slip39Passphrase", "secretLength", "groupThreshold", "groups");
        var groups = new List<ManifestGroup>();
        foreach (var g in ReqArray(backup, "groups", "backup.groups"))
        {
            OnlyMembers(g, "backup.groups[]", "memberThreshold", "memberCount");
            groups.Add(new ManifestGroup(ReqInt(g, "memberThreshold", "backup.groups[].memberThreshold"), ReqInt(g, "memberCount", "backup.groups[].memberCount")));
        }

        var shares = new List<ManifestShare>();
        foreach (var s in ReqArray(root, "shares", "shares"))
        {
            OnlyMembers(s, "shares[]", v3 ? ShareMembersV3 : v2 ? ShareMembersV2 : ShareMembersV1);
            ManifestDeparture? departed = null;
            if (v2)
            {
                if (!s.TryGetProperty("departed", out var d)) throw ManifestError.Malformed("shares[].departed is missing (write null when there is none)");
                if (d.ValueKind == JsonValueKind.Object)
                {
                    OnlyMembers(d, "shares[].departed", "at", "reason");
                    departed = new ManifestDeparture(ReqTime(d, "at", "shares[].departed.at"), ReqString(d, "reason", "shares[].departed.reason"));
                }
                else if (d.ValueKind != JsonValueKind.Null)
                {
                    throw ManifestError.Malformed("shares[].departed is neither an object nor null");
                }
            }
            var share = new ManifestShare(ReqInt(s, "group", "shares[].group"), ReqInt(s, "member", "shares[].member"),
                ReqString(s, "custodian", "shares[].custodian"), ReqString(s, "commitment", "shares[].commitment"),
                OptString(s, "ageRecipient", "shares[].ageRecipient"),
                v2 ? OptString(s, "contact", "shares[].contact") : null, v2 ? OptString(s, "timeZone", "shares[].timeZone") : null, departed);
            if (v3) CheckRecipientType(share, OptString(s, "recipientType", "shares[].recipientType"));
            shares.Add(share);
        }

        var retired = new List<RetiredBackup>();
        foreach (var r in ReqArray(root, "retired", "retired"))
        {
            OnlyMembers(r, "retired[]", v4 ? RetiredMembersV4 : RetiredMembersV1);
            var commitments = ReqArray(r, "commitments", "retired[].commitments").Select(c => c.ValueKind == JsonValueKind.String
                ? c.GetString()! : throw ManifestError.Malformed("retired[].commitments holds a non-string")).ToList();
            retired.Add(new RetiredBackup(ReqInt(r, "backupId", "retired[].backupId"), ReqTime(r, "retiredAt", "retired[].retiredAt"),
                ReqString(r, "reason", "retired[].reason"), commitments, v4 ? ReadRotation(r) : null));
        }

        var history = new List<ManifestEvent>();
        foreach (var e in ReqArray(root, "history", "history"))
        {
            OnlyMembers(e, "history[]", "at", "action", "reason", "group", "member", "custodian", "backupId");
            history.Add(new ManifestEvent(ReqTime(e, "at", "history[].at"), ReqString(e, "action", "history[].action"),
                ReqString(e, "reason", "history[].reason"), OptInt(e, "group", "history[].group"), OptInt(e, "member", "history[].member"),
                OptString(e, "custodian", "history[].custodian"), OptInt(e, "backupId", "history[].backupId")));
        }

        var manifest = new BackupManifest
        {
            CreatedAt = created,
            Revision = revision,
            Supersedes = supersedes,
            Version = v4 ? 4 : v3 ? 3 : v2 ? 2 : 1,
            ToolVersion = toolVersion,
            ExecutableSha256 = exe,
            Label = OptString(root, "label", "label"),
            Org = OptString(root, "org", "org"),
            Contact = OptString(root, "contact", "contact"),
            Identity = identity,
            BackupId = ReqInt(backup, "id", "backup.id"),
            IterationExponent = ReqInt(backup, "iterationExponent", "backup.iterationExponent"),
            Extendable = ReqBool(backup, "extendable", "backup.extendable"),
            Slip39Passphrase = ReqBool(backup, "slip39Passphrase", "backup.slip39Passphrase"),
            SecretLength = ReqInt(backup, "secretLength", "backup.secretLength"),
            GroupThreshold = ReqInt(backup, "groupThreshold", "backup.groupThreshold"),
            Groups = groups,
            Shares = shares,
            Retired = retired,
            History = history,
        };
        CheckConsistency(manifest);
        return manifest;
    }

    private static BackupRotation? ReadRotation(JsonElement retired)
    {
        if (!retired.TryGetProperty("rotation", out var r)) throw ManifestError.Malformed("retired[].rotation is missing (write null for a backup of the same key)");
        if (r.ValueKind == JsonValueKind.Null) return null;
        if (r.ValueKind != JsonValueKind.Object) throw ManifestError.Malformed("retired[].rotation is neither an object nor null");
        OnlyMembers(r, "retired[].rotation", "previousPublicKey", "previousManifest", "successorStatement", "drill");
        var statement = ReqObject(r, "successorStatement", "retired[].rotation.successorStatement");
        string canonical;
        try
        {
            canonical = System.Text.Encoding.UTF8.GetString(Signing.CanonicalJson.Serialize(statement));
        }
        catch (FormatException ex)
        {
            throw ManifestError.Malformed($"retired[].rotation.successorStatement: {ex.Message}");
        }
        if (!r.TryGetProperty("drill", out var d)) throw ManifestError.Malformed("retired[].rotation.drill is missing (write null while the backup is still needed)");
        RotationDrill? drill = null;
        if (d.ValueKind == JsonValueKind.Object)
        {
            OnlyMembers(d, "retired[].rotation.drill", "reportSha256", "createdAt", "aggregateKey");
            drill = new RotationDrill(ReqString(d, "reportSha256", "retired[].rotation.drill.reportSha256"),
                ReqTime(d, "createdAt", "retired[].rotation.drill.createdAt"), ReqString(d, "aggregateKey", "retired[].rotation.drill.aggregateKey"));
        }
        else if (d.ValueKind != JsonValueKind.Null)
        {
            throw ManifestError.Malformed("retired[].rotation.drill is neither an object nor null");
        }
        return new BackupRotation(ReqString(r, "previousPublicKey", "retired[].rotation.previousPublicKey"),
            ReqString(r, "previousManifest", "retired[].rotation.previousManifest"), canonical, drill);
    }

    // A backup of the previous key is linked by a successor statement from exactly that key to this manifest's key,
    // valid in both signatures; the drill that retired it names the aggregate key whose DKG shares it opened.
    private static void CheckRotation(BackupManifest m, BackupRotation rotation)
    {
        if (ReadPublicKey(rotation.PreviousPublicKey, "retired[].rotation.previousPublicKey").Hex66 == m.Identity.PublicKey)
            throw ManifestError.Malformed("retired[].rotation.previousPublicKey is the manifest's own key");
        CheckCommitment(rotation.PreviousManifest, "retired[].rotation.previousManifest");
        Signing.SuccessorStatementVerification statement;
        try
        {
            statement = Signing.SuccessorStatement.Verify(rotation.SuccessorStatement);
        }
        catch (Errors.KeyVaultException ex)
        {
            throw ManifestError.Malformed($"retired[].rotation.successorStatement: {ex.Message}");
        }
        if (!statement.Valid)
            throw ManifestError.Malformed($"retired[].rotation.successorStatement does not hold: {statement.OldKeyProblem ?? statement.AcceptanceProblem}");
        if (statement.OldKey.Hex66 != rotation.PreviousPublicKey || statement.NewKey.Hex66 != m.Identity.PublicKey)
            throw ManifestError.Malformed("retired[].rotation.successorStatement is not the rotation from previousPublicKey to the manifest's key");
        if (rotation.Drill is { } d)
        {
            CheckCommitment(d.ReportSha256, "retired[].rotation.drill.reportSha256");
            CheckTime(d.CreatedAt, "retired[].rotation.drill.createdAt");
            ReadPublicKey(d.AggregateKey, "retired[].rotation.drill.aggregateKey");
        }
    }

    // Version 3 names each sealed share's stanza type; it must be the type of the recipient it is sealed to.
    private static void CheckRecipientType(ManifestShare share, string? recorded)
    {
        string? actual;
        try
        {
            actual = share.RecipientType;
        }
        catch (Errors.KeyVaultException)
        {
            throw ManifestError.Malformed($"share {share.Group}/{share.Member}: shares[].ageRecipient is not a recipient KeyVault can seal to");
        }
        if (recorded != actual)
            throw ManifestError.Malformed($"share {share.Group}/{share.Member}: shares[].recipientType is {recorded ?? "null"}, but its ageRecipient is of type {actual ?? "null (a paper share)"}");
    }

    /// <summary>The rules of docs/manifest.md section 2 that relate fields to each other; throws DamagedFile.</summary>
    public static void CheckConsistency(BackupManifest m)
    {
        if (m.CreatedAt.Offset != TimeSpan.Zero || m.CreatedAt.Ticks % TimeSpan.TicksPerSecond != 0)
            throw ManifestError.Malformed("createdAt is not a whole second in UTC");
        if (m.ExecutableSha256 is { } exe && (exe.Length != 64 || !Hex.IsHex(exe) || exe != exe.ToLowerInvariant()))
            throw ManifestError.Malformed("tool.executableSha256 is not 64 lowercase hex characters");
        if (m.ToolVersion.Length == 0 || m.ToolVersion.Length > 64) throw ManifestError.Malformed("tool.version is empty or longer than 64 characters");
        CheckText(m.Label, "label", ManifestText.MaxNameBytes);
        CheckText(m.Org, "org", ManifestText.MaxNameBytes);
        CheckText(m.Contact, "contact", ManifestText.MaxNameBytes);
        if (m.Revision < 1) throw ManifestError.Malformed($"revision {m.Revision} is not a positive integer");
        if ((m.Revision == 1) != (m.Supersedes is null))
            throw ManifestError.Malformed("supersedes must be null in revision 1 and the hash of the previous revision in every later one");
        if (m.Supersedes is { } prev) CheckCommitment(prev, "supersedes");

        if (m.BackupId is < 0 or > 0x7FFF) throw ManifestError.Malformed($"backup.id {m.BackupId} is not a 15-bit identifier (0 to 32767)");
        if (m.IterationExponent is < 0 or > 15) throw ManifestError.Malformed("backup.iterationExponent is not 0 to 15");
        if (m.SecretLength is < 16 or > 64 || m.SecretLength % 2 != 0) throw ManifestError.Malformed("backup.secretLength is not an even number from 16 to 64");
        if (m.Groups.Count is < 1 or > 16) throw ManifestError.Malformed("backup.groups must hold 1 to 16 groups");
        if (m.GroupThreshold < 1 || m.GroupThreshold > m.Groups.Count) throw ManifestError.Malformed("backup.groupThreshold is not 1 to the number of groups");
        for (int g = 0; g < m.Groups.Count; g++)
        {
            var (t, c) = (m.Groups[g].MemberThreshold, m.Groups[g].MemberCount);
            if (c is < 1 or > 16 || t < 1 || t > c || (t == 1 && c > 1))
                throw ManifestError.Malformed($"group {g + 1} has member threshold {t} and count {c}, which SLIP-0039 does not allow");
            int registered = m.Shares.Count(s => s.Group == g + 1);
            if (registered != c) throw ManifestError.Malformed($"group {g + 1} has member count {c} but {registered} registered shares");
        }

        var slots = new HashSet<(int, int)>();
        var commitments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in m.Shares)
        {
            if (s.Group < 1 || s.Group > m.Groups.Count) throw ManifestError.Malformed($"a share names group {s.Group}, which does not exist");
            if (s.Member is < 1 or > 16) throw ManifestError.Malformed($"a share has number {s.Member}; share numbers are 1 to 16");
            if (!slots.Add((s.Group, s.Member))) throw ManifestError.Malformed($"share {Slot(m, s.Group, s.Member)} is registered twice");
            CheckCommitment(s.Commitment, "shares[].commitment");
            if (!commitments.Add(s.Commitment)) throw ManifestError.Malformed("two shares have the same commitment");
            CheckText(s.Custodian, "shares[].custodian", ManifestText.MaxNameBytes);
            CheckText(s.AgeRecipient, "shares[].ageRecipient", ManifestText.MaxRecipientBytes);
            CheckText(s.Contact, "shares[].contact", ManifestText.MaxNameBytes);
            CheckText(s.TimeZone, "shares[].timeZone", ManifestText.MaxTimeZoneBytes);
            if (s.Departed is { } d)
            {
                CheckTime(d.At, "shares[].departed.at");
                CheckText(d.Reason, "shares[].departed.reason", ManifestText.MaxLongBytes);
            }
        }
        if (!m.Shares.Select(s => (s.Group, s.Member)).SequenceEqual(m.Shares.Select(s => (s.Group, s.Member)).Order()))
            throw ManifestError.Malformed("shares are not in group order, then share-number order");

        var retiredIds = new HashSet<int>();
        foreach (var r in m.Retired)
        {
            if (r.BackupId is < 0 or > 0x7FFF) throw ManifestError.Malformed($"retired backupId {r.BackupId} is not a 15-bit identifier");
            if (r.BackupId == m.BackupId) throw ManifestError.Malformed("the manifest retires its own backup ID");
            if (!retiredIds.Add(r.BackupId)) throw ManifestError.Malformed($"backup {r.BackupId} is retired twice");
            CheckTime(r.RetiredAt, "retired[].retiredAt");
            CheckText(r.Reason, "retired[].reason", ManifestText.MaxLongBytes);
            if (r.Commitments.Count is < 1 or > 256) throw ManifestError.Malformed("a retired backup must list 1 to 256 commitments");
            foreach (var c in r.Commitments) CheckCommitment(c, "retired[].commitments[]");
            if (r.Rotation is { } rotation) CheckRotation(m, rotation);
        }

        if (m.History.Count == 0 || m.History[0].Action != "split") throw ManifestError.Malformed("history must start with a \"split\" entry");
        foreach (var e in m.History)
        {
            CheckTime(e.At, "history[].at");
            CheckText(e.Reason, "history[].reason", ManifestText.MaxLongBytes);
            CheckText(e.Custodian, "history[].custodian", ManifestText.MaxNameBytes);
            bool shareFields = e.Group is not null && e.Member is not null && e.Custodian is not null;
            bool noShareFields = e.Group is null && e.Member is null && e.Custodian is null;
            bool ok = e.Action switch
            {
                "split" => noShareFields && e.BackupId is null,
                "reissue" or "depart" => shareFields && e.BackupId is null,
                "retire" => noShareFields && e.BackupId is not null,
                "supersede" => noShareFields && m.Retired.Any(r => r.BackupId == e.BackupId && r.Rotation is not null),
                _ => false,
            };
            if (!ok) throw ManifestError.Malformed($"a history entry with action \"{e.Action}\" has the wrong fields (docs/manifest.md, history)");
        }
        foreach (var s in m.Shares.Where(s => s.Departed is not null))
            if (!m.History.Any(e => e.Action == "depart" && e.Group == s.Group && e.Member == s.Member))
                throw ManifestError.Malformed($"share {Slot(m, s.Group, s.Member)} is marked departed without a \"depart\" history entry");
    }

    private static string Slot(BackupManifest m, int group, int member) => m.Groups.Count > 1 ? $"{group}-{member}" : $"#{member}";

    private static void CheckText(string? text, string field, int max)
    {
        if (text is not null && ManifestText.Problem(text, max) is { } why) throw ManifestError.Malformed($"{field} is not allowed: {why}");
    }

    private static void CheckTime(DateTimeOffset t, string field)
    {
        if (t.Offset != TimeSpan.Zero || t.Ticks % TimeSpan.TicksPerSecond != 0) throw ManifestError.Malformed($"{field} is not a whole second in UTC");
    }

    private static void CheckCommitment(string c, string field)
    {
        if (c.Length != 64 || !Hex.IsHex(c) || c != c.ToLowerInvariant()) throw ManifestError.Malformed($"{field} is not 64 lowercase hex characters");
    }

    public static void OnlyMembers(JsonElement obj, string where, params string[] allowed)
    {
        foreach (var p in obj.EnumerateObject())
            if (Array.IndexOf(allowed, p.Name) < 0) throw ManifestError.Malformed($"{where} has an unknown member \"{p.Name}\"");
    }

    public static PublicKey ReadPublicKey(string hex, string field) =>
        PublicKey.TryParseLowerHex(hex) ?? throw ManifestError.Malformed($"{field} is not a compressed public key in lowercase hex");

    private static JsonElement ReqObject(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Object)
            throw ManifestError.Malformed($"{path} is missing or not an object");
        return v;
    }

    private static JsonElement.ArrayEnumerator ReqArray(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array)
            throw ManifestError.Malformed($"{path} is missing or not an array");
        return v.EnumerateArray();
    }

    public static string ReqString(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
            throw ManifestError.Malformed($"{path} is missing or not a string");
        return v.GetString()!;
    }

    private static string? OptString(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v))
            throw ManifestError.Malformed($"{path} is missing (write null when there is none)");
        return v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => v.GetString()!,
            _ => throw ManifestError.Malformed($"{path} is neither a string nor null"),
        };
    }

    private static int ReqInt(JsonElement obj, string name, string path) =>
        OptInt(obj, name, path) ?? throw ManifestError.Malformed($"{path} is null, not an integer");

    private static int? OptInt(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v))
            throw ManifestError.Malformed($"{path} is missing");
        if (v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i) || v.GetRawText() != i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw ManifestError.Malformed($"{path} is not an integer");
        return i;
    }

    private static bool ReqBool(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw ManifestError.Malformed($"{path} is missing or not true/false");
        return v.GetBoolean();
    }

    private static DateTimeOffset ReqTime(JsonElement obj, string name, string path)
    {
        if (!BackupManifest.TryParseTime(ReqString(obj, name, path), out var t))
            throw ManifestError.Malformed($"{path} is not of the form 2026-01-31T12:00:00Z");
        return t;
    }
}
