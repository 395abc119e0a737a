using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Applications;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Transcoding;

namespace VodConsole.Tests.Transcoding;

/// <summary>Template rules, each refused with a clear message and nothing stored; presets read-only; isolation per application.</summary>
public sealed class TranscodeTemplateTests : IAsyncLifetime
{
    private TestConsole console = null!;
    private long a;
    private long b;

    public async ValueTask InitializeAsync()
    {
        console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        a = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Templates A", null)).Id;
        b = (await console.Get<ApplicationService>().CreateSubApplicationAsync("Templates B", null)).Id;
    }

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    private async Task<TranscodeTemplates> TemplatesOf(long app) =>
        (await console.InApplicationAsync(app)).GetService(typeof(TranscodeTemplates)) as TranscodeTemplates ?? throw new InvalidOperationException();

    private static TranscodeTemplateEdit Edit(string name = "Web", params TranscodeRendition[] renditions) =>
        new(name, TranscodeFormat.Hls, renditions.Length == 0 ? [new(720, 2500, 30, 128)] : renditions);

    private async Task<int> StoredTemplatesAsync()
    {
        await using var db = await console.OpenDbAsync();
        return await db.TranscodeTemplates.IgnoreQueryFilters().CountAsync();
    }

    public static TheoryData<string, TranscodeTemplateEdit, string> BadTemplates() => new()
    {
        { "zero video bitrate", Edit("Web", new TranscodeRendition(720, 0, 30, 128)), "Rendition 1: the video bitrate must be between 64 and 50,000 kbit/s; 0 was given." },
        { "negative video bitrate", Edit("Web", new TranscodeRendition(720, -500, 30, 128)), "Rendition 1: the video bitrate must be between 64 and 50,000 kbit/s; -500 was given." },
        { "zero audio bitrate", Edit("Web", new TranscodeRendition(360, 800, 30, 128), new TranscodeRendition(720, 2500, 30, 0)), "Rendition 2: the audio bitrate must be between 32 and 320 kbit/s; 0 was given." },
        { "height 100000", Edit("Web", new TranscodeRendition(100000, 2500, 30, 128)), "Rendition 1: the height must be between 144 and 2,160 pixels; 100,000 was given." },
        { "odd height", Edit("Web", new TranscodeRendition(721, 2500, 30, 128)), "Rendition 1: the height must be an even number of pixels (H.264 needs it); 721 is odd." },
        { "frame rate 0", Edit("Web", new TranscodeRendition(720, 2500, 0, 128)), "Rendition 1: the frame-rate cap must be between 1 and 60 frames per second; 0 was given." },
        { "7 renditions", Edit("Web", [.. new[] { 144, 240, 360, 480, 540, 720, 1080 }.Select(h => new TranscodeRendition(h, 1000, 30, 128))]), "A template has at most 6 renditions; this one has 7." },
        { "no renditions", new TranscodeTemplateEdit("Web", TranscodeFormat.Hls, []), "Add at least one rendition." },
        { "same height twice", Edit("Web", new TranscodeRendition(720, 2500, 30, 128), new TranscodeRendition(720, 1500, 30, 128)), "Two renditions are 720p; give each rendition its own height." },
        { "control character in the name", Edit("Web\u0007HD"), "The template name contains an invisible control character (U+0007); remove it." },
        { "direction override in the name", Edit("Web\u202EHD"), "The template name contains a text-direction override (U+202E), which can disguise what it says; remove it." },
        { "empty name", Edit("   "), "Enter a name for the template." },
        { "41-character name", Edit(new string('x', 41)), "The template name is 41 characters long; at most 40 are allowed." },
        { "audio format", new TranscodeTemplateEdit("Web", TranscodeFormat.Audio, [new(720, 2500, 30, 128)]), "A custom template produces HLS or MP4; use the audio-only preset for audio." },
        { "a preset's name", Edit("MP4 720p"), "A template named \"MP4 720p\" already exists in this application; choose another name." },
    };

    [Theory]
    [MemberData(nameof(BadTemplates))]
    public async Task A_bad_template_gets_a_clear_message_and_nothing_is_stored(string why, TranscodeTemplateEdit edit, string message)
    {
        var refused = await Assert.ThrowsAsync<DomainRuleException>(async () => await (await TemplatesOf(a)).CreateAsync(edit));
        Assert.True(message == refused.Message, $"{why}: {refused.Message}");
        Assert.Equal(0, await StoredTemplatesAsync());
    }

    [Fact]
    public async Task A_bad_edit_leaves_the_stored_template_as_it_was()
    {
        var created = await (await TemplatesOf(a)).CreateAsync(Edit("Web"));
        await Assert.ThrowsAsync<DomainRuleException>(async () =>
            await (await TemplatesOf(a)).UpdateAsync(created.Id, Edit("Web", new TranscodeRendition(720, -1, 30, 128)), created.Version));
        var stored = (await (await TemplatesOf(a)).ListAsync()).Single(t => t.Id == created.Id);
        Assert.Equal(created.Renditions, stored.Renditions);
    }

    [Fact]
    public async Task Names_are_unique_in_an_application_ignoring_case_but_not_across_applications()
    {
        await (await TemplatesOf(a)).CreateAsync(Edit("Web"));
        var refused = await Assert.ThrowsAsync<DomainRuleException>(async () => await (await TemplatesOf(a)).CreateAsync(Edit("WEB")));
        Assert.Equal("A template named \"WEB\" already exists in this application; choose another name.", refused.Message);
        await (await TemplatesOf(b)).CreateAsync(Edit("Web"));
    }

    [Fact]
    public async Task An_application_has_at_most_50_templates()
    {
        for (var i = 0; i < TranscodeTemplateRules.MaxCustomTemplates; i++)
        {
            await (await TemplatesOf(a)).CreateAsync(Edit($"T{i}"));
        }
        var refused = await Assert.ThrowsAsync<DomainRuleException>(async () => await (await TemplatesOf(a)).CreateAsync(Edit("One more")));
        Assert.Contains("already has 50 templates", refused.Message);
        await (await TemplatesOf(b)).CreateAsync(Edit("One more"));
    }

    [Fact]
    public async Task Concurrent_edits_are_detected_and_the_second_save_writes_nothing()
    {
        var created = await (await TemplatesOf(a)).CreateAsync(Edit("Web"));
        await (await TemplatesOf(a)).UpdateAsync(created.Id, Edit("Web first"), created.Version);

        var conflict = await Assert.ThrowsAsync<TranscodeTemplateConflictException>(async () =>
            await (await TemplatesOf(a)).UpdateAsync(created.Id, Edit("Web second"), created.Version));
        Assert.Equal("Web first", conflict.Current.Name);
        Assert.Equal("Web first", (await (await TemplatesOf(a)).ListAsync()).Single(t => t.Id == created.Id).Name);
    }

    [Fact]
    public async Task Presets_are_listed_for_every_application_and_written_by_none()
    {
        foreach (var app in new[] { a, b })
        {
            var listed = await (await TemplatesOf(app)).ListAsync();
            Assert.Equal(TranscodePresets.All.Select(p => p.Name), listed.Where(t => t.IsPreset).Select(t => t.Name));
            Assert.Equal([360, 540, 720, 1080], listed.Single(t => t.Id == TranscodePresets.HlsLadderId).Renditions.Select(r => r.Height));
        }
        var update = await Assert.ThrowsAsync<DomainRuleException>(async () =>
            await (await TemplatesOf(a)).UpdateAsync(TranscodePresets.Mp4720Id, Edit("Mine"), 0));
        Assert.Equal(TranscodeTemplates.PresetReadOnlyMessage, update.Message);
        var delete = await Assert.ThrowsAsync<DomainRuleException>(async () => await (await TemplatesOf(a)).DeleteAsync(TranscodePresets.HlsLadderId));
        Assert.Equal(TranscodeTemplates.PresetReadOnlyMessage, delete.Message);
    }

    [Fact]
    public async Task Copying_a_preset_makes_an_editable_template_of_the_application()
    {
        var copy = await (await TemplatesOf(a)).CopyPresetAsync(TranscodePresets.HlsLadderId);
        var second = await (await TemplatesOf(a)).CopyPresetAsync(TranscodePresets.HlsLadderId);
        Assert.Equal(("HLS adaptive ladder (copy)", "HLS adaptive ladder (copy 2)"), (copy.Name, second.Name));
        Assert.False(copy.IsPreset);
        Assert.Equal(TranscodePresets.Find(TranscodePresets.HlsLadderId)!.Renditions, copy.Renditions);
        await (await TemplatesOf(a)).UpdateAsync(copy.Id, Edit("Ladder", new TranscodeRendition(480, 1000, 25, 96)), copy.Version);
    }

    [Fact]
    public async Task Another_applications_templates_and_jobs_are_not_found()
    {
        var theirs = await (await TemplatesOf(b)).CreateAsync(Edit("Theirs"));
        var templates = await TemplatesOf(a);
        Assert.DoesNotContain(await templates.ListAsync(), t => t.Id == theirs.Id);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => templates.UpdateAsync(theirs.Id, Edit("Mine"), theirs.Version));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => templates.DeleteAsync(theirs.Id));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => templates.SetDefaultAsync(theirs.Id));

        // A's media transcoded with B's template, or B's job touched from A: not found, nothing queued or changed.
        var mediaA = await MediaAsync(a);
        var jobsA = (await console.InApplicationAsync(a)).GetService(typeof(TranscodeJobs)) as TranscodeJobs;
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => jobsA!.StartAsync([mediaA], theirs.Id));
        var mediaB = await MediaAsync(b);
        var jobsB = (await console.InApplicationAsync(b)).GetService(typeof(TranscodeJobs)) as TranscodeJobs;
        await jobsB!.StartAsync([mediaB], theirs.Id);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => jobsA!.StartAsync([mediaB], TranscodePresets.Mp4720Id));
        var jobB = (await jobsB.ListForMediaAsync(mediaB)).Single().Job;
        Assert.Empty(await jobsA!.ListForMediaAsync(mediaB));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => jobsA.CancelAsync(jobB.Id));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => jobsA.RetryAsync(jobB.Id));
        Assert.Equal(TranscodeJobState.Queued, (await jobsB.ListForMediaAsync(mediaB)).Single().Job.State);
    }

    [Fact]
    public async Task A_template_in_use_by_a_queued_job_or_as_the_default_cannot_be_deleted()
    {
        var template = await (await TemplatesOf(a)).CreateAsync(Edit("Busy"));
        var media = await MediaAsync(a);
        var jobs = (await console.InApplicationAsync(a)).GetService(typeof(TranscodeJobs)) as TranscodeJobs;
        await jobs!.StartAsync([media], template.Id);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(async () => await (await TemplatesOf(a)).DeleteAsync(template.Id));
        Assert.Equal("\"Busy\" is in use by a transcoding job that is queued or running; cancel it or let it finish, then delete the template.", refused.Message);

        var job = (await jobs.ListForMediaAsync(media)).Single().Job;
        await jobs.CancelAsync(job.Id);
        await (await TemplatesOf(a)).SetDefaultAsync(template.Id);
        var asDefault = await Assert.ThrowsAsync<DomainRuleException>(async () => await (await TemplatesOf(a)).DeleteAsync(template.Id));
        Assert.Contains("default processing", asDefault.Message);

        await (await TemplatesOf(a)).SetDefaultAsync(null);
        await (await TemplatesOf(a)).DeleteAsync(template.Id);
        Assert.Equal(0, await StoredTemplatesAsync());
    }

    [Fact]
    public async Task The_default_processing_queues_a_job_for_every_new_upload_once_it_is_ready()
    {
        await (await TemplatesOf(a)).SetDefaultAsync(TranscodePresets.Mp4720Id);
        Assert.Equal(TranscodePresets.Mp4720Id, await (await TemplatesOf(a)).GetDefaultAsync());
        var folder = Directory.CreateTempSubdirectory("vodconsole-default-");
        try
        {
            var video = await TestMedia.VideoAsync(folder.FullName);
            await using (var file = File.OpenRead(video))
            {
                await console.Get<MediaUploadService>().UploadAsync(a, "default.mp4", file, MediaOptions.DefaultMaxUploadBytes);
            }
            await using (var db = await console.Get<ApplicationData>().OpenForAsync(a))
            {
                Assert.False(await db.TranscodeJobs.AnyAsync()); // not before processing knows the media
            }
            await console.Get<MediaProcessor>().ProcessPendingAsync();
            await using (var db = await console.Get<ApplicationData>().OpenForAsync(a))
            {
                var job = await db.TranscodeJobs.SingleAsync();
                Assert.Equal((TranscodePresets.Mp4720Id, TranscodeJobState.Queued, "MP4 720p"), (job.TemplateId, job.State, job.TemplateName));
            }
            await using (var other = await console.Get<ApplicationData>().OpenForAsync(b))
            {
                Assert.False(await other.TranscodeJobs.AnyAsync());
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Starting_in_bulk_takes_at_most_20_ready_items_and_leaves_queued_ones_as_they_are()
    {
        var jobs = (await console.InApplicationAsync(a)).GetService(typeof(TranscodeJobs)) as TranscodeJobs;
        var media = new List<long>();
        for (var i = 0; i < 21; i++)
        {
            media.Add(await MediaAsync(a));
        }
        var tooMany = await Assert.ThrowsAsync<DomainRuleException>(() => jobs!.StartAsync(media, TranscodePresets.Mp4720Id));
        Assert.Equal("Select at most 20 media items for one action; 21 are selected.", tooMany.Message);

        Assert.Equal(1, await jobs!.StartAsync(media.Take(1).ToList(), TranscodePresets.Mp4720Id));
        Assert.Equal(19, await jobs.StartAsync(media.Take(20).ToList(), TranscodePresets.Mp4720Id));
        await using var db = await console.Get<ApplicationData>().OpenForAsync(a);
        Assert.Equal(20, await db.TranscodeJobs.CountAsync(j => j.State == TranscodeJobState.Queued));
    }

    private async Task<long> MediaAsync(long app)
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        var item = new MediaItem
        {
            ApplicationId = app, Title = "Clip", Status = MediaStatus.Normal, ContentType = "video/mp4", StorageKey = $"{app}/{Guid.NewGuid():N}",
            SizeBytes = 1000, CreatedAt = DateTime.UtcNow, ModifiedAt = DateTime.UtcNow,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        return item.Id;
    }
}
