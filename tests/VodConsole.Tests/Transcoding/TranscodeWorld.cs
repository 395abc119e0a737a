using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Transcoding;

namespace VodConsole.Tests.Transcoding;

/// <summary>A console with real ffmpeg and a short clip uploaded and processed, for the transcoding tests.</summary>
public sealed class TranscodeWorld : IAsyncDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("vodconsole-transcode-");

    public TestConsole Console { get; private set; } = null!;
    public long AppId { get; private set; }

    private TimeProvider? clock;

    /// <param name="clock">A clock the test moves (to settle the day of a job); the system's when null.</param>
    /// <param name="onS3">Media on the test S3 server instead of local disk (<see cref="TestConsole.StartAsync"/>).</param>
    public static async Task<TranscodeWorld> StartAsync(TimeSpan? lease = null, TimeProvider? clock = null, bool onS3 = false)
    {
        var world = new TranscodeWorld { clock = clock };
        world.Console = await TestConsole.StartAsync(world.Configure(lease), onS3: onS3);
        world.AppId = (await world.Console.Get<ApplicationService>().ListAsync()).Single(a => a.IsPrimary).Id;
        return world;
    }

    public Action<IServiceCollection> Configure(TimeSpan? lease) => s =>
    {
        s.Configure<ProcessingOptions>(o => o.JobLease = lease ?? TimeSpan.FromMinutes(1));
        s.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()); // callback settings keep a secret
        if (clock is not null)
        {
            s.AddSingleton(clock);
        }
    };

    /// <summary>Stops the console as a server stops and starts it again on the same database and media.</summary>
    public async Task RestartAsync(TimeSpan? lease = null) => Console = await Console.RestartAsync(Configure(lease));

    /// <summary>A clip (3 seconds, 320x240, 30 fps unless told) with a tone, uploaded and processed to Normal.</summary>
    public async Task<MediaItem> ClipAsync(string name = "clip.mp4", int seconds = 3, string size = "320x240")
    {
        var path = await TestMedia.GenerateAsync(work.FullName, name,
            "-f", "lavfi", "-i", $"testsrc=duration={seconds}:size={size}:rate=30", "-f", "lavfi", "-i", $"sine=frequency=440:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest");
        await using var file = File.OpenRead(path);
        var item = await Console.Get<MediaUploadService>().UploadAsync(AppId, name, file, MediaOptions.DefaultMaxUploadBytes);
        await Console.Get<MediaProcessor>().ProcessPendingAsync();
        await using var db = await OpenAsync();
        return await db.Media.AsNoTracking().SingleAsync(m => m.Id == item.Id);
    }

    public async Task<IServiceProvider> InAppAsync() => await Console.InApplicationAsync(AppId);

    public async Task<T> InApp<T>() where T : notnull => (await InAppAsync()).GetRequiredService<T>();

    public Task<VodDbContext> OpenAsync() => Console.Get<ApplicationData>().OpenForAsync(AppId);

    public async Task<TranscodeJob> JobAsync(long jobId)
    {
        await using var db = await OpenAsync();
        return await db.TranscodeJobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
    }

    /// <summary>Claims and runs every job waiting, as the worker does; returns how many ran.</summary>
    public async Task<int> RunQueuedAsync()
    {
        var ran = 0;
        while (await Console.Get<TranscodeRunner>().ClaimNextAsync() is { } claim)
        {
            await Console.Get<TranscodeRunner>().RunAsync(claim);
            ran++;
        }
        return ran;
    }

    public async ValueTask DisposeAsync()
    {
        await Console.DisposeAsync();
        work.Delete(recursive: true);
    }
}
