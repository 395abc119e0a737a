using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace VodConsole.Core.Transcoding;

/// <summary>
/// Where transcoding runs write their output before it is stored: one folder per job, attempt and process in the machine's
/// temp folder. The name carries the writing process's ID and start time, so anyone on the machine can tell whether that
/// process still runs: the folder of a process that ended (a server killed mid-run) is nobody's, whichever installation it
/// belonged to, and the next start or hourly sweep removes it — also when its job was cancelled and never runs again.
/// </summary>
public static partial class TranscodeWorkFolders
{
    private const string Prefix = "vodconsole-transcode-";

    /// <summary>This process, as folder names state it: its ID and start time (a reused ID has another start time).</summary>
    private static readonly string ThisProcess = Mark(Environment.ProcessId, StartedAt(Process.GetCurrentProcess()));

    /// <summary>The folder a run of <paramref name="job"/>'s <paramref name="attempt"/> writes to in this process.</summary>
    public static string For(TranscodeJob job, int attempt) =>
        Path.Combine(Path.GetTempPath(), $"{JobPrefix(job)}{attempt}-{ThisProcess}");

    /// <summary>
    /// Removes what earlier attempts of the job left on this machine (a runner killed mid-run). Every earlier attempt has
    /// lost its lease — a claim counts the attempt up — so its folder is nobody's, whoever held it and however it ended.
    /// </summary>
    public static void RemoveEarlierAttempts(TranscodeJob job, int attempt)
    {
        var prefix = JobPrefix(job);
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            var rest = Path.GetFileName(folder)[prefix.Length..];
            if (int.TryParse(rest.Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var earlier) && earlier < attempt)
            {
                DeleteIfThere(folder);
            }
        }
    }

    /// <summary>Removes the folders whose process has ended; returns how many. Folders of running processes stay.</summary>
    public static int RemoveLeftByEndedProcesses()
    {
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (WorkFolderName().Match(Path.GetFileName(folder)) is { Success: true } name
                && int.TryParse(name.Groups["process"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var processId)
                && long.TryParse(name.Groups["started"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var started)
                && HasEnded(processId, started))
            {
                removed += DeleteIfThere(folder) ? 1 : 0;
            }
        }
        return removed;
    }

    /// <summary>How a folder name states a process: <c>p{id}-s{start, Unix seconds}</c>.</summary>
    internal static string Mark(int processId, long startedAt) => $"p{processId}-s{startedAt}";

    internal static long StartedAt(Process process) => new DateTimeOffset(process.StartTime).ToUnixTimeSeconds();

    private static string JobPrefix(TranscodeJob job) => $"{Prefix}{job.ApplicationId}-{job.Id}-";

    private static bool HasEnded(int processId, long startedAt)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            // The ID of an ended process may be another's now: that one started at another time.
            return process.HasExited || Math.Abs(StartedAt(process) - startedAt) > 1;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (Exception unreadable) when (unreadable is InvalidOperationException or Win32Exception)
        {
            return false; // cannot tell: keep the folder
        }
    }

    private static bool DeleteIfThere(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false; // removed by another sweep meanwhile
        }
    }

    [GeneratedRegex(@"^vodconsole-transcode-\d+-\d+-\d+-p(?<process>\d+)-s(?<started>\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkFolderName();
}
