using System.Diagnostics;
using VodConsole.Core.Setup;
using VodConsole.Core.Transcoding;

namespace VodConsole.Tests.Transcoding;

/// <summary>
/// The transcoding work folders a killed server leaves in the machine's temp folder: removed once their process has
/// ended, and never while it runs, whichever installation they belong to.
/// </summary>
public sealed class TranscodeWorkFoldersTests
{
    // Job numbers no console of the test run reaches, so the folders here are this test's own.
    private static readonly long Job = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);

    [Fact]
    public void Folders_of_ended_processes_go_and_folders_of_running_ones_stay()
    {
        using var running = Process.Start(new ProcessStartInfo("sleep", "120"))!;
        try
        {
            var ofThisProcess = TranscodeWorkFolders.For(new TranscodeJob { ApplicationId = 1, Id = Job }, attempt: 1);
            var ofAnotherRunningProcess = Folder(2, TranscodeWorkFolders.Mark(running.Id, TranscodeWorkFolders.StartedAt(running)));
            var ofAnEndedProcess = Folder(3, TranscodeWorkFolders.Mark(int.MaxValue, 1_700_000_000));
            // The ID of a process that ended may be another's now: the start time tells them apart.
            var ofAnEarlierProcessWithThisId = Folder(4, TranscodeWorkFolders.Mark(Environment.ProcessId, 1_700_000_000));
            var notAWorkFolder = Path.Combine(Path.GetTempPath(), $"vodconsole-transcode-{Job}-something-else");
            foreach (var folder in new[] { ofThisProcess, ofAnotherRunningProcess, ofAnEndedProcess, ofAnEarlierProcessWithThisId, notAWorkFolder })
            {
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, "segment.ts"), "partial output");
            }
            try
            {
                Assert.True(TranscodeWorkFolders.RemoveLeftByEndedProcesses() >= 2);

                Assert.True(Directory.Exists(ofThisProcess));
                Assert.True(Directory.Exists(ofAnotherRunningProcess));
                Assert.True(Directory.Exists(notAWorkFolder));
                Assert.False(Directory.Exists(ofAnEndedProcess));
                Assert.False(Directory.Exists(ofAnEarlierProcessWithThisId));
            }
            finally
            {
                foreach (var folder in new[] { ofThisProcess, ofAnotherRunningProcess, notAWorkFolder }.Where(Directory.Exists))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }
        finally
        {
            running.Kill();
        }
    }

    [Fact]
    public async Task A_start_removes_what_a_killed_server_left_even_for_a_job_that_never_runs_again()
    {
        await using var console = await TestConsole.StartAsync(Callbacks.CallbackTestConsole.Services()); // recovery gives back callback claims too
        var left = Folder(1, TranscodeWorkFolders.Mark(int.MaxValue, 1_700_000_000));
        Directory.CreateDirectory(left);

        await console.Get<CrashRecovery>().RecoverAtStartAsync(databaseIsNew: false);

        Assert.False(Directory.Exists(left));
    }

    private static string Folder(int application, string process) =>
        Path.Combine(Path.GetTempPath(), $"vodconsole-transcode-{application}-{Job}-1-{process}");
}
