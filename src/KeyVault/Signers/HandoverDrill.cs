namespace KeyVault.Signers;

/// <summary>The drill of the handover's dump, as the record references it (docs/migration.md, "drill").</summary>
/// <param name="ReportSha256">SHA-256 of the drill report file's bytes, lowercase hex.</param>
/// <param name="CreatedAt">When the drill ran (the report's createdAt).</param>
/// <param name="Result">The report's result; a record is made only of a drill that passed ("pass").</param>
public sealed record HandoverDrill(string ReportSha256, DateTimeOffset CreatedAt, string Result);
