namespace KeyVault.IO;

/// <summary>
/// A complete file of a set that is not yet under its name (<see cref="AtomicFile.Stage"/>): an unnamed O_TMPFILE
/// inode, or, where the file system refuses that, a hidden named temporary. <see cref="Publish"/> names it;
/// <see cref="Shred"/> zeroes and drops it.
/// </summary>
internal sealed class StagedFile
{
    private UnnamedFile? _unnamed;

    internal StagedFile(UnnamedFile unnamed) => _unnamed = unnamed;

    internal StagedFile(string temporary) => TemporaryPath = temporary;

    /// <summary>The hidden temporary's path on the named path; null for an unnamed file.</summary>
    public string? TemporaryPath { get; private set; }

    /// <summary>True when the file holds exactly <paramref name="expected"/>.</summary>
    public bool ReadsBack(ReadOnlySpan<byte> expected) =>
        _unnamed?.ReadsBack(expected) ?? AtomicFile.ReadsBack(TemporaryPath!, expected);

    /// <summary>The file's bytes; the caller wipes them.</summary>
    public byte[] ReadAll() => _unnamed?.ReadAll() ?? File.ReadAllBytes(TemporaryPath!);

    /// <summary>Makes the file readable by everyone (0644): only for a file that holds nothing secret.</summary>
    public void MakePublic()
    {
        if (_unnamed is not null) _unnamed.MakePublic();
        else AtomicFile.MakePublic(TemporaryPath!);
    }

    /// <summary>Gives the file the name <paramref name="path"/>, never replacing an existing file.</summary>
    public void Publish(string path)
    {
        if (_unnamed is null)
        {
            AtomicFile.Publish(TemporaryPath!, path);
            TemporaryPath = null;
            return;
        }
        var full = Path.GetFullPath(path);
        try
        {
            _unnamed.LinkTo(full);
        }
        catch (IOException ex) when (ex.HResult == 17 || File.Exists(full))
        {
            throw AtomicFile.Exists(full);
        }
        _unnamed.Dispose();
        _unnamed = null;
    }

    /// <summary>Overwrites the content with zeros and removes it; true when there was something to remove.</summary>
    public bool Shred()
    {
        if (_unnamed is not null)
        {
            _unnamed.Zero();
            _unnamed.Dispose();
            _unnamed = null;
            return true;
        }
        if (TemporaryPath is null) return false;
        var removed = AtomicFile.Shred(TemporaryPath);
        TemporaryPath = null;
        return removed;
    }

    /// <summary>Drops the descriptor of an unnamed file that was never published (nothing remains of it).</summary>
    public void Release()
    {
        _unnamed?.Dispose();
        _unnamed = null;
    }
}
