using System.Text;

namespace KeyVault.Cli.Infrastructure;

/// <summary>
/// Standard error as the program writes its prompts, progress and report lines to it. A line that cannot be written
/// (a full disk, an I/O error, a closed stream) is dropped, and so is every later one, instead of failing the command:
/// the files a command writes do not depend on its report. <see cref="Lost"/> then says so, and the program exits
/// with <see cref="ExitCode.ReportLost"/> where it would have exited with success.
/// </summary>
internal sealed class ReportWriter(TextWriter inner) : TextWriter
{
    /// <summary>True once a write to standard error failed.</summary>
    public bool Lost { get; private set; }

    public override Encoding Encoding => inner.Encoding;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // the base setter takes a nullable value
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value) => Guard(() => inner.Write(value));

    public override void Write(string? value) => Guard(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (Lost) return;
        var copy = buffer.ToString();
        Guard(() => inner.Write(copy));
    }

    public override void WriteLine() => Guard(inner.WriteLine);

    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

    public override void Flush() => Guard(inner.Flush);

    private void Guard(Action write)
    {
        if (Lost) return;
        try
        {
            write();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException or UnauthorizedAccessException)
        {
            Lost = true;
        }
    }
}
