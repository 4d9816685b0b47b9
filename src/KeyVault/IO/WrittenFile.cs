namespace KeyVault.IO;

/// <summary>One file a flow wrote, by name inside its output folder, with its size and SHA-256: what a ceremony transcript lists.</summary>
/// <param name="Name">The file name (no folder).</param>
/// <param name="Role">key-file, key-file-sheet, share-file, share-sheet, drill-report or manifest.</param>
/// <param name="ShareNumber">For share files and sheets, the share's number; otherwise null.</param>
/// <param name="Bytes">The file's length.</param>
/// <param name="Sha256">SHA-256 of the file's bytes, lowercase hex.</param>
public sealed record WrittenFile(string Name, string Role, int? ShareNumber, long Bytes, string Sha256)
{
    /// <summary>Role of the encrypted key file.</summary>
    public const string KeyFileRole = "key-file";
    /// <summary>Role of the key file's paper sheet.</summary>
    public const string KeyFileSheetRole = "key-file-sheet";
    /// <summary>Role of a share text file.</summary>
    public const string ShareFileRole = "share-file";
    /// <summary>Role of a share's paper sheet.</summary>
    public const string ShareSheetRole = "share-sheet";
    /// <summary>Role of the signed drill report.</summary>
    public const string DrillReportRole = "drill-report";
}
