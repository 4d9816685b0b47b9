using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace KeyVault.Keys;

/// <summary>
/// Reads TOML text into Tomlyn's document model without reflection, so the TOML readers are trim- and AOT-safe: the
/// model's type information is generated at build time.
/// </summary>
internal static class TomlModel
{
    /// <summary>The document as a table; a key defined twice is an error only when <paramref name="strict"/>.</summary>
    public static TomlTable? Read(string text, bool strict = false) =>
        TomlSerializer.Deserialize(text, strict ? StrictTomlModel.Default.TomlTable : LenientTomlModel.Default.TomlTable);
}

[TomlSerializable(typeof(TomlTable))]
internal sealed partial class LenientTomlModel : TomlSerializerContext
{
}

[TomlSourceGenerationOptions(DuplicateKeyHandling = TomlDuplicateKeyHandling.Error)]
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class StrictTomlModel : TomlSerializerContext
{
}
