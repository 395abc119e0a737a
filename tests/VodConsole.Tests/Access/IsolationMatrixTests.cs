using VodConsole.Core.Instances;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Packages;
using VodConsole.Core.Playback;
using VodConsole.Core.Review;
using VodConsole.Core.Roles;
using VodConsole.Core.Setup;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Access;

/// <summary>
/// The isolation matrix: every operation of every domain service, found by reflection over what
/// <see cref="CoreServiceRegistration"/> registers, is called by an Administrator, a user with full access to A, one
/// with read-only access to A, one with full access to B, one with full access to A and read-only access to B (two
/// grants: what reads across applications may show them, and never the primary one's) and one with no grant — and by an account API key and keys with
/// full and read-only access to A, which the server API puts in the same place, and by a scope with no caller at all
/// (which must get nothing: fail closed), and by administrators viewing as the full and the read-only user of A (who read
/// exactly what those users may, and change nothing) — on applications A, B and the primary one. Each call must succeed exactly where the grants allow it and be refused (or its role not found) everywhere
/// else. An operation without a rule here fails the test, so a new one cannot slip through unchecked.
/// </summary>
public sealed class IsolationMatrixTests(IsolationMatrixTests.World world) : IClassFixture<IsolationMatrixTests.World>
{
    /// <summary><see cref="NoCaller"/>: a scope nobody entered, as an endpoint that forgot to resolve its caller has.</summary>
    public enum Person { Administrator, FullA, ReadOnlyA, FullB, FullAReadOnlyB, Nobody, AccountKey, KeyFullA, KeyReadOnlyA, NoCaller, ViewAsFullA, ViewAsReadOnlyA }

    /// <summary>What an operation needs. "Role" operations act in the role the shell resolved; "App" ones are given the application.</summary>
    public enum Needs
    {
        /// <summary>Acts in application X's role: anyone who may see X.</summary>
        ReadRole,
        /// <summary>Changes application X in its role: Administrators and full access to X.</summary>
        WriteRole,
        /// <summary>Given X by its caller (an endpoint, another application's page): anyone who may see X.</summary>
        ReadApp,
        /// <summary>Given X by its caller: Administrators and full access to X.</summary>
        WriteApp,
        /// <summary>The account: Administrators only.</summary>
        Administrator,
        /// <summary>None of the matrix's people: only the account owner, or acting for another user.</summary>
        NoneOfThem,
        /// <summary>Background work only: every user is refused.</summary>
        System,
        /// <summary>Anyone signed in or any key: the account's public facts.</summary>
        AnyUser,
        /// <summary>A person about themselves (their sign-in settings); never a key.</summary>
        Self,
        /// <summary>In the Admin role (account-wide keys): Administrators and account keys; nobody else has that role.</summary>
        AdminRole,
        /// <summary>The server API's own steps in application X's role: keys that may change X, never a person.</summary>
        KeyWriteRole,
        /// <summary>Reads that need full access to X (its audit log): Administrators, full access to X, and a view as such a user.</summary>
        FullReadApp,
        /// <summary>An Administrator in person, never a key: viewing the console as someone is for people.</summary>
        AdministratorInPerson,
        /// <summary>A person ending their own view-as (the one change allowed while viewing); never a key.</summary>
        OwnViewAs,
    }

    /// <param name="UserId">The person's ID; for a key, a value no user has.</param>
    /// <param name="KeyId">The key's ID when the caller is a key, else a value no key has.</param>
    /// <param name="Person">Who calls: for operations whose answer depends on everything the caller may see.</param>
    public sealed record Probe(IServiceProvider Services, long App, string UserId, string KeyId, World World, Person Person)
    {
        public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
    }

    /// <param name="AlsoWrites">A second application the call changes (a move's destination), which the user must also be able to change.</param>
    public sealed record Rule(Needs Needs, Func<Probe, Task> Invoke, Func<World, long, long>? AlsoWrites = null);

    /// <summary>Registered types that are not operations users reach, with the reason.</summary>
    private static readonly Dictionary<Type, string> Infrastructure = new()
    {
        [typeof(AccessPolicy)] = "the check itself",
        [typeof(ApplicationData)] = "the isolation factory under every service (IsolationTests)",
        [typeof(ApplicationIdGenerator)] = "picks random IDs, no data",
        [typeof(DatabaseInitializer)] = "start-up only",
        [typeof(DatabaseOptions)] = "names the engine and its connection string, no data",
        [typeof(SqliteStartupLock)] = "start-up only: a lock file beside the database, no data",
        [typeof(DemoDataSeeder)] = "start-up only",
        [typeof(VodConsole.Core.Setup.Demo.DemoClips)] = "makes the demo's clip files at start-up, no data",
        [typeof(OwnerBootstrap)] = "start-up only",
        [typeof(MediaProbe)] = "runs ffprobe on a path, no data",
        [typeof(InstanceIdentity)] = "names this process, no data",
        [typeof(SqliteJobClaimQuery)] = "the claim step inside JobLeases.ClaimNextAsync (system work, checked there), on the context and query it is given",
        [typeof(MediaProcessingSignal)] = "wakes a worker, no data",
        [typeof(MediaPullSignal)] = "wakes a worker, no data",
        [typeof(CallbackSignal)] = "wakes a worker, no data",
        [typeof(TranscodeSignal)] = "wakes a worker, no data",
        [typeof(VodConsole.Core.Budgets.BudgetSignal)] = "wakes a worker, no data",
        [typeof(FfmpegTranscoder)] = "runs ffmpeg on paths the runner gives it, no data",
        [typeof(VodConsole.Core.Network.OutboundAddressPolicy)] = "decides which addresses outbound requests may reach, no data",
        [typeof(RoleContext)] = "holds the role the shell resolved",
        [typeof(RoleResolver)] = "loads the signed-in user's own catalog",
        [typeof(RoleCatalogWatch)] = "reloads the signed-in user's own catalog when a change is announced",
        [typeof(LocalChangeFeed)] = "announces that something changed, no data (ChangeAnnouncementTests)",
        [typeof(ChangeFeedRecorder)] = "the data layer's interceptor that announces committed changes, no data",
        [typeof(VodConsole.Core.Playback.PlaybackRuleCache)] = "the playback gate's own recent decisions, read and kept only by PlaybackGate after its system-work check",
        [typeof(VodConsole.Core.Playback.PlaybackRuleInvalidator)] = "the data layer's interceptor that clears the playback gate's recent decisions, no data",
        [typeof(VodConsole.Core.Media.Search.SqliteMediaSearchIndex)] = "used only inside MediaLibrary, with the role's application",
        [typeof(VodDbContext)] = "reached only through IDbContextFactory inside services",
        [typeof(VodConsole.Core.Api.ApiKeySecrets)] = "encrypts and decrypts key secrets, no data",
        [typeof(VodConsole.Core.Api.ApiKeyRoles)] = "builds the catalog of a key whose signature was verified",
        [typeof(VodConsole.Core.Api.ApiNonceStore)] = "the replay guard inside the signature check (ApiAuthenticationTests)",
        [typeof(VodConsole.Core.Api.ApiRequestVerifier)] = "the server API's authentication itself (ApiAuthenticationTests)",
        [typeof(CrashPoints)] = "test-only crash points (TestingOptions), no data",
    };

    /// <summary>Operations that check nothing themselves, with the reason it is safe.</summary>
    private static readonly Dictionary<string, string> Unchecked = new()
    {
        ["AuditLog.RecordAsync(String, Nullable<Int64>, String, Object, Object)"] = "records what the caller just did, naming the caller",
        ["AuditLog.RecordAsync(String, String, String, String, Nullable<Int64>, String, Object, Object)"] = "sign-in events, recorded before anyone is signed in",
        ["CallbackEvents.AddAsync(VodDbContext, Int64, CallbackEventType, Object)"] =
            "adds an event to the context of a change its caller checked and is about to save; the context's isolation still holds",
        ["MediaCovers.StoreFrameAsync(Int64, String, Nullable<Double>)"] = "writes a cover file for MediaProcessor and MediaEditor, which check first",
        ["MediaCovers.StoreStoryboardAsync(Int64, String, Double, Int32)"] = "writes storyboard files for MediaProcessor (system work), which checks first",
        ["UsageRecorder.AddAsync(Int64, UsageMetric, Int64, Nullable<DateOnly>)"] = "counts what a checked operation or the anonymous playback endpoint did",
        ["UsageRecorder.AddAsync(VodDbContext, Int64, UsageMetric, Int64)"] =
            "counts what a checked operation did, in the context (and transaction) of that operation's own save",
        ["JobLeases.Hold(JobLease<T>, Action<UpdateSettersBuilder<T>>)"] =
            "renews a lease its caller (system work) claimed, through UpdateHeldAsync, which checks",
        ["TranscodeMetering.RecordDoneAsync(VodDbContext, TranscodeJob, IReadOnlyList<MediaDerivative>)"] =
            "meters a job the system runner committed, in the context (and transaction) of that commit",
        ["TranscodeMetering.AddEventAsync(VodDbContext, TranscodeJob, IReadOnlyList<MediaDerivative>)"] =
            "adds the job's event to the context of the runner's own save; the context's isolation still holds",
        ["UsageRecorder.ChangeLevelAsync(VodDbContext, Int64, UsageMetric, Int64)"] =
            "counts what a checked operation did, in the context (and transaction) of that operation's own save",
        ["UsageRecorder.AddPlaybackAsync(IEnumerable<PlaybackCount>)"] = "writes the playback endpoints' batch of traffic and plays (PlaybackMeter)",
        ["PlaybackMeter.AddTraffic(Int64, Int64)"] = "counts bytes the anonymous playback endpoints served",
        ["PlaybackMeter.AddPlay(Int64)"] = "counts a play the anonymous playback endpoint served",
        ["PlaybackMeter.FlushAsync()"] = "writes what the playback endpoints counted (PlaybackMeterWorker)",
        ["UsageRecorder.RecordPeakAsync(Int64, UsageMetric, Int64, Nullable<DateOnly>)"] = "counts what the playback endpoint served",
        ["UsageRecorder.StartApplicationAsync(Int64)"] = "starts the roll-ups of an application an Administrator just created",
    };

    private static readonly Dictionary<string, Rule[]> Rules = new()
    {
        ["AccountService.GetAsync()"] = [new(Needs.AnyUser, p => p.Get<AccountService>().GetAsync())],
        ["AccountService.EnableSubApplicationsAsync(String)"] = [new(Needs.NoneOfThem, p => p.Get<AccountService>().EnableSubApplicationsAsync(p.UserId))],
        ["AccountService.SetBillingModeAsync(BillingMode)"] = [new(Needs.Administrator, async p =>
            await p.Get<AccountService>().SetBillingModeAsync((await p.World.System<AccountService>().GetAsync()).BillingMode))],
        ["AccountService.SuspendAsync()"] = [new(Needs.Administrator, async p =>
        {
            await p.Get<AccountService>().SuspendAsync();
            await p.World.System<AccountService>().ResumeAsync();
        })],
        ["AccountService.ResumeAsync()"] = [new(Needs.Administrator, p => p.Get<AccountService>().ResumeAsync())],

        ["ApplicationService.ListAsync()"] = [new(Needs.Administrator, p => p.Get<ApplicationService>().ListAsync())],
        ["ApplicationService.FindAsync(Int64)"] = [new(Needs.ReadApp, async p => Assert.NotNull(await p.Get<ApplicationService>().FindAsync(p.App)))],
        ["ApplicationService.CreateSubApplicationAsync(String, String, Boolean)"] = [new(Needs.Administrator, p =>
            p.Get<ApplicationService>().CreateSubApplicationAsync($"Matrix {Guid.NewGuid():N}", null))],
        ["ApplicationService.UpdateAsync(Int64, String, String, Int64)"] = [new(Needs.Administrator, async p =>
        {
            // The primary application's name is fixed for everyone: A stands in for it.
            var application = (await p.World.System<ApplicationService>().FindAsync(p.App == p.World.Primary ? p.World.A : p.App))!;
            await p.Get<ApplicationService>().UpdateAsync(application.Id, application.Name, application.Description, application.Version);
        })],
        ["ApplicationService.SetStatusAsync(Int64, ApplicationStatus, Int64)"] = [new(Needs.Administrator, async p =>
        {
            var application = (await p.World.System<ApplicationService>().FindAsync(p.App))!;
            await p.Get<ApplicationService>().SetStatusAsync(application.Id, application.Status, application.Version);
        })],

        ["AuditLog.PageAsync(AuditQuery, Nullable<Int64>, Int32)"] =
        [
            new(Needs.FullReadApp, p => p.Get<AuditLog>().PageAsync(new AuditQuery(ApplicationId: p.App), null)),
            new(Needs.Administrator, p => p.Get<AuditLog>().PageAsync(new AuditQuery(), null)),
        ],
        ["AuditLog.AllAsync(AuditQuery)"] =
        [
            new(Needs.FullReadApp, async p => await p.Get<AuditLog>().AllAsync(new AuditQuery(ApplicationId: p.App)).ToListAsync()),
            new(Needs.Administrator, async p => await p.Get<AuditLog>().AllAsync(new AuditQuery()).ToListAsync()),
        ],
        ["AuditLog.ActorsAsync(Nullable<Int64>)"] =
        [
            new(Needs.FullReadApp, p => p.Get<AuditLog>().ActorsAsync(p.App)),
            new(Needs.Administrator, p => p.Get<AuditLog>().ActorsAsync(null)),
        ],

        ["CallbackSettingsService.GetAsync()"] = [new(Needs.ReadRole, p => p.Get<CallbackSettingsService>().GetAsync())],
        ["CallbackSettingsService.SaveAsync(CallbackSettingsEdit)"] = [new(Needs.WriteRole, async p => await
            p.Get<CallbackSettingsService>().SaveAsync(
                new CallbackSettingsEdit(CallbackMode.Pull, null, CallbackSubscriptions.Choosable, await p.World.CallbackVersionAsync(p.App))))],
        ["CallbackSettingsService.RegenerateKeyAsync()"] = [new(Needs.WriteRole, p => p.Get<CallbackSettingsService>().RegenerateKeyAsync())],
        ["CallbackLog.PageAsync(CallbackLogCursor, Int32)"] = [new(Needs.ReadRole, p => p.Get<CallbackLog>().PageAsync(null))],
        ["CallbackLog.FindAsync(Int64)"] = [new(Needs.ReadRole, async p =>
            Assert.NotNull(await p.Get<CallbackLog>().FindAsync(await p.World.CallbackEventAsync(p.App))))],
        ["CallbackLog.SendTestAsync()"] = [new(Needs.WriteRole, p => p.Get<CallbackLog>().SendTestAsync())],
        ["CallbackLog.ReplayAsync(Int64)"] = [new(Needs.WriteRole, async p =>
            await p.Get<CallbackLog>().ReplayAsync(await p.World.CallbackEventAsync(p.App)))],
        ["CallbackQueue.ReadAsync(Int64, Int32)"] = [new(Needs.ReadApp, p => p.Get<CallbackQueue>().ReadAsync(p.App))],
        ["CallbackQueue.AckAsync(Int64, IReadOnlyCollection<Int64>)"] = [new(Needs.WriteApp, async p =>
            Assert.Equal(1, await p.Get<CallbackQueue>().AckAsync(p.App, [await p.World.CallbackEventAsync(p.App)])))],
        ["CallbackRetention.PruneAsync()"] = [new(Needs.System, p => p.Get<CallbackRetention>().PruneAsync())],
        ["CallbackDelivery.ClaimNextAsync()"] = [new(Needs.System, p => p.Get<CallbackDelivery>().ClaimNextAsync())],
        ["CallbackDelivery.DeliverAsync(CallbackEvent)"] = [new(Needs.System, p =>
            p.Get<CallbackDelivery>().DeliverAsync(new CallbackEvent { ApplicationId = p.App, Delivery = CallbackMode.Push }))],

        ["MediaCategories.ListAsync()"] = [new(Needs.ReadRole, p => p.Get<MediaCategories>().ListAsync())],
        ["MediaCategories.CreateAsync(String)"] = [new(Needs.WriteRole, p => p.Get<MediaCategories>().CreateAsync($"New {Guid.NewGuid():N}"[..20]))],
        ["MediaCategories.RenameAsync(Int64, String)"] = [new(Needs.WriteRole, async p =>
            await p.Get<MediaCategories>().RenameAsync(await p.World.CategoryAsync(p.App), $"Renamed {Guid.NewGuid():N}"[..20]))],
        ["MediaCategories.DeleteAsync(Int64)"] = [new(Needs.WriteRole, async p =>
            await p.Get<MediaCategories>().DeleteAsync(await p.World.CategoryAsync(p.App)))],

        ["MediaEditor.UpdateDetailsAsync(Int64, MediaDetailsEdit, Int64)"] = [new(Needs.WriteRole, async p =>
        {
            var item = await p.World.MediaAsync(p.App);
            await p.Get<MediaEditor>().UpdateDetailsAsync(item.Id, new MediaDetailsEdit("Edited", null, null, null), item.Version);
        })],
        ["MediaEditor.ReplaceCoverAsync(Int64, Stream)"] = [new(Needs.WriteRole, async p =>
            await p.Get<MediaEditor>().ReplaceCoverAsync((await p.World.MediaAsync(p.App)).Id, new MemoryStream(p.World.CoverImage)))],
        ["MediaEditor.RegenerateCoverAsync(Int64, Double)"] = [new(Needs.WriteRole, async p =>
            await p.Get<MediaEditor>().RegenerateCoverAsync((await p.World.MediaAsync(p.App, withVideo: true)).Id, 0.5))],

        ["MediaLibrary.PageAsync(MediaQuery, MediaCursor, Int32)"] = [new(Needs.ReadRole, p => p.Get<MediaLibrary>().PageAsync(new MediaQuery(), null))],
        ["MediaLibrary.FindAsync(Int64)"] = [new(Needs.ReadRole, async p =>
            Assert.NotNull(await p.Get<MediaLibrary>().FindAsync((await p.World.MediaAsync(p.App)).Id)))],
        ["MediaLibrary.DeleteAsync(Int64)"] = [new(Needs.WriteRole, async p =>
            await p.Get<MediaLibrary>().DeleteAsync((await p.World.MediaAsync(p.App)).Id))],
        ["MediaLibrary.DeleteAsync(IReadOnlyCollection<Int64>)"] = [new(Needs.WriteRole, async p =>
            await p.Get<MediaLibrary>().DeleteAsync([(await p.World.MediaAsync(p.App)).Id]))],
        ["MediaLibrary.SetCategoryAsync(IReadOnlyCollection<Int64>, Nullable<Int64>)"] = [new(Needs.WriteRole, async p =>
            await p.Get<MediaLibrary>().SetCategoryAsync([(await p.World.MediaAsync(p.App)).Id], await p.World.CategoryAsync(p.App)))],

        // Across applications: exactly the applications the caller may see, never another's hit; naming one it may not
        // see is refused as not found (CrossApplicationMediaSearchTests has the rest).
        ["CrossApplicationMediaSearch.SearchAsync(String, IReadOnlyCollection<Int64>, CrossApplicationCursor, Int32)"] =
        [
            new(Needs.ReadApp, async p =>
            {
                var word = await p.World.SearchableEverywhereAsync();
                var page = await p.Get<VodConsole.Core.Media.Search.CrossApplicationMediaSearch>().SearchAsync(word, [p.App], null);
                Assert.Equal([p.App], page.Hits.Select(h => h.Media.ApplicationId));
            }),
            new(Needs.AnyUser, async p =>
            {
                var word = await p.World.SearchableEverywhereAsync();
                var page = await p.Get<VodConsole.Core.Media.Search.CrossApplicationMediaSearch>().SearchAsync(word, null, null);
                Assert.Equal(p.World.Visible(p.Person), page.Hits.Select(h => h.Media.ApplicationId).Order());
            }),
        ],
        ["MediaMover.Destinations()"] = [new(Needs.ReadRole, p => Task.FromResult(p.Get<MediaMover>().Destinations()))],
        ["MediaMover.MoveAsync(IReadOnlyCollection<Int64>, Int64)"] = [new(Needs.WriteRole,
            async p => await p.Get<MediaMover>().MoveAsync([(await p.World.MediaAsync(p.App)).Id], p.World.Elsewhere(p.App)),
            AlsoWrites: (w, app) => w.Elsewhere(app))],

        ["MediaProcessor.ProcessPendingAsync()"] = [new(Needs.System, p => p.Get<MediaProcessor>().ProcessPendingAsync())],
        ["MediaProcessor.ProcessAsync(JobLease<MediaItem>)"] = [new(Needs.System, p => p.Get<MediaProcessor>().ProcessAsync(
            new JobLease<MediaItem>(new MediaItem { Id = -1, ApplicationId = p.App, StorageKey = "missing" }, "not-an-instance", 1)))],
        ["MediaPuller.ClaimNextAsync()"] = [new(Needs.System, p => p.Get<MediaPuller>().ClaimNextAsync())],
        ["JobLeases.ClaimNextAsync(LeasedJobKind<T>)"] = [new(Needs.System, p => p.Get<JobLeases>().ClaimNextAsync(MediaPuller.Kind))],
        ["JobLeases.UpdateHeldAsync(JobLease<T>, Action<UpdateSettersBuilder<T>>)"] = [new(Needs.System, p => p.Get<JobLeases>().UpdateHeldAsync(
            NoLease(p), s => s.SetProperty(j => j.BytesReceived, 0L)))],
        ["JobLeases.ReleaseAsync(LeasedJobKind<T>, JobLease<T>)"] = [new(Needs.System, p => p.Get<JobLeases>().ReleaseAsync(MediaPuller.Kind, NoLease(p)))],
        ["JobLeases.ReleaseAbandonedAsync(LeasedJobKind<T>, IReadOnlyCollection<String>)"] = [new(Needs.System, p =>
            p.Get<JobLeases>().ReleaseAbandonedAsync(MediaPuller.Kind, ["another-instance"]))],
        ["InstanceRegistry.BeatAsync()"] = [new(Needs.System, p => p.Get<InstanceRegistry>().BeatAsync())],
        ["InstanceRegistry.OthersAliveAsync()"] = [new(Needs.System, p => p.Get<InstanceRegistry>().OthersAliveAsync())],
        ["InstanceRegistry.LeaveAsync()"] = [new(Needs.System, p => p.Get<InstanceRegistry>().LeaveAsync())],
        ["PeriodLeases.TryStartAsync(String, TimeSpan)"] = [new(Needs.System, p => p.Get<PeriodLeases>().TryStartAsync("Matrix", TimeSpan.FromHours(1)))],
        ["PeriodLeases.ReleaseAsync(String)"] = [new(Needs.System, p => p.Get<PeriodLeases>().ReleaseAsync("Matrix"))],
        ["MediaPuller.PullAsync(JobLease<MediaPull>)"] = [new(Needs.System, p => p.Get<MediaPuller>().PullAsync(new JobLease<MediaPull>(
            new MediaPull { ApplicationId = p.App, Url = "https://example.com/a.mp4", FileName = "a.mp4" }, "not-an-instance", 1)))],
        ["MediaPullService.SubmitAsync(String)"] = [new(Needs.WriteRole, p => p.Get<MediaPullService>().SubmitAsync("https://example.com/clip.mp4"))],
        ["MediaPullService.ListAsync()"] = [new(Needs.ReadRole, p => p.Get<MediaPullService>().ListAsync())],

        ["MediaUploadService.UploadAsync(Int64, String, Stream, Int64)"] = [new(Needs.WriteApp, p =>
            p.Get<MediaUploadService>().UploadAsync(p.App, "clip.mp4", new MemoryStream(World.Mp4()), 1_000_000))],
        ["MediaUploadService.UploadAsync(Int64, String, Stream, Int64, Action<VodDbContext,MediaItem>)"] = [new(Needs.WriteApp, p =>
            p.Get<MediaUploadService>().UploadAsync(p.App, "clip.mp4", new MemoryStream(World.Mp4()), 1_000_000, alongside: null))],
        ["MediaUploadService.FindAsync(Int64, IReadOnlyCollection<Int64>)"] = [new(Needs.ReadApp, async p =>
            await p.Get<MediaUploadService>().FindAsync(p.App, [(await p.World.MediaAsync(p.App)).Id]))],

        ["PackageLedger.RegisterAsync(PackageType, Int64, DateOnly, DateOnly, String)"] = [new(Needs.Administrator, p =>
            p.Get<PackageLedger>().RegisterAsync(PackageType.Traffic, 1_000_000, World.Today, World.Today.AddDays(30), "Matrix order"))],
        ["PackageLedger.CorrectAsync(Int64, Int64, PackageTerms)"] = [new(Needs.Administrator, async p =>
            await p.Get<PackageLedger>().CorrectAsync(await p.World.PackageAsync(), 0,
                new PackageTerms("Corrected", PackageType.Review, 2_000_000, World.Today, World.Today.AddDays(60))))],
        ["PackageLedger.CancelAsync(Int64, Int64)"] = [new(Needs.Administrator, async p =>
            await p.Get<PackageLedger>().CancelAsync(await p.World.PackageAsync(), 0))],
        ["TranscodeTemplates.ListAsync()"] = [new(Needs.ReadRole, p => p.Get<TranscodeTemplates>().ListAsync())],
        ["TranscodeTemplates.CreateAsync(TranscodeTemplateEdit)"] = [new(Needs.WriteRole, p =>
            p.Get<TranscodeTemplates>().CreateAsync(World.TemplateEdit()))],
        ["TranscodeTemplates.CopyPresetAsync(Int64)"] = [new(Needs.WriteRole, p => p.Get<TranscodeTemplates>().CopyPresetAsync(TranscodePresets.HlsLadderId))],
        ["TranscodeTemplates.UpdateAsync(Int64, TranscodeTemplateEdit, Int64)"] = [new(Needs.WriteRole, async p =>
        {
            var template = await p.World.TemplateAsync(p.App);
            await p.Get<TranscodeTemplates>().UpdateAsync(template.Id, World.TemplateEdit(), template.Version);
        })],
        ["TranscodeTemplates.DeleteAsync(Int64)"] = [new(Needs.WriteRole, async p =>
            await p.Get<TranscodeTemplates>().DeleteAsync((await p.World.TemplateAsync(p.App)).Id))],
        ["TranscodeTemplates.GetDefaultAsync()"] = [new(Needs.ReadRole, p => p.Get<TranscodeTemplates>().GetDefaultAsync())],
        ["TranscodeTemplates.SetDefaultAsync(Nullable<Int64>)"] = [new(Needs.WriteRole, async p =>
            await p.Get<TranscodeTemplates>().SetDefaultAsync((await p.World.TemplateAsync(p.App)).Id))],
        ["TranscodeJobs.StartAsync(IReadOnlyCollection<Int64>, Int64)"] = [new(Needs.WriteRole, async p =>
            Assert.Equal(1, await p.Get<TranscodeJobs>().StartAsync([(await p.World.MediaAsync(p.App)).Id], (await p.World.TemplateAsync(p.App)).Id)))],
        ["TranscodeJobs.ListForMediaAsync(Int64)"] = [new(Needs.ReadRole, async p =>
            Assert.Single(await p.Get<TranscodeJobs>().ListForMediaAsync((await p.World.TranscodeJobAsync(p.App, TranscodeJobState.Done)).MediaId)))],
        ["TranscodeJobs.CancelAsync(Int64)"] = [new(Needs.WriteRole, async p =>
            await p.Get<TranscodeJobs>().CancelAsync((await p.World.TranscodeJobAsync(p.App, TranscodeJobState.Queued)).Id))],
        ["TranscodeJobs.RetryAsync(Int64)"] = [new(Needs.WriteRole, async p =>
            await p.Get<TranscodeJobs>().RetryAsync((await p.World.TranscodeJobAsync(p.App, TranscodeJobState.Failed)).Id))],
        ["MediaReview.GetModeAsync()"] = [new(Needs.ReadRole, p => p.Get<MediaReview>().GetModeAsync())],
        ["MediaReview.SetModeAsync(ReviewMode, Int64)"] = [new(Needs.WriteRole, async p =>
            await p.Get<MediaReview>().SetModeAsync(ReviewMode.Off, (await p.Get<MediaReview>().GetModeAsync()).Version))],
        ["MediaReview.DecidedAsync(ReviewState)"] = [new(Needs.ReadRole, p => p.Get<MediaReview>().DecidedAsync(ReviewState.Blocked))],
        ["MediaReview.QueueAsync()"] = [new(Needs.ReadRole, async p =>
        {
            var item = await p.World.MediaAsync(p.App, review: ReviewState.Awaiting);
            Assert.Contains(await p.Get<MediaReview>().QueueAsync(), q => q.MediaId == item.Id);
        })],
        ["MediaReview.StoryboardKeyAsync(Int64, Int32)"] = [new(Needs.ReadRole, async p =>
            Assert.NotNull(await p.Get<MediaReview>().StoryboardKeyAsync((await p.World.MediaAsync(p.App, review: ReviewState.Awaiting)).Id, 0)))],
        ["MediaReview.ApproveAsync(Int64, Nullable<Int64>)"] = [new(Needs.WriteRole, async p =>
        {
            var item = await p.World.MediaAsync(p.App, review: ReviewState.Awaiting);
            await p.Get<MediaReview>().ApproveAsync(item.Id, item.Version);
        })],
        ["MediaReview.BlockAsync(Int64, String, Nullable<Int64>)"] = [new(Needs.WriteRole, async p =>
            await p.Get<MediaReview>().BlockAsync((await p.World.MediaAsync(p.App, review: ReviewState.Awaiting)).Id, "Matrix reason"))],
        ["TranscodeRunner.ClaimNextAsync()"] = [new(Needs.System, p => p.Get<TranscodeRunner>().ClaimNextAsync())],
        ["TranscodeRunner.RunAsync(JobLease<TranscodeJob>)"] = [new(Needs.System, p => p.Get<TranscodeRunner>().RunAsync(
            new JobLease<TranscodeJob>(new TranscodeJob { Id = -1, ApplicationId = p.App, Format = TranscodeFormat.Mp4 }, "not-an-instance", 1)))],

        ["ChargebackService.GetPricesAsync()"] = [new(Needs.Administrator, p => p.Get<VodConsole.Core.Chargeback.ChargebackService>().GetPricesAsync())],
        ["ChargebackService.SavePricesAsync(ChargebackPrices)"] = [new(Needs.Administrator, async p =>
            await p.Get<VodConsole.Core.Chargeback.ChargebackService>().SavePricesAsync(
                await p.World.System<VodConsole.Core.Chargeback.ChargebackService>().GetPricesAsync()))],
        ["ChargebackService.StatementAsync(DateOnly, DateOnly)"] = [new(Needs.Administrator, p =>
            p.Get<VodConsole.Core.Chargeback.ChargebackService>().StatementAsync(World.Today.AddDays(-7), World.Today))],
        ["ChargebackService.MonthToDateAsync(Int64)"] = [new(Needs.ReadApp, async p =>
            Assert.Equal(p.App, (await p.Get<VodConsole.Core.Chargeback.ChargebackService>().MonthToDateAsync(p.App)).ApplicationId))],
        ["BudgetService.ListAsync()"] = [new(Needs.Administrator, p => p.Get<VodConsole.Core.Budgets.BudgetService>().ListAsync())],
        ["BudgetService.StatusAsync(Int64)"] = [new(Needs.ReadApp, async p =>
            Assert.Equal(p.App, (await p.Get<VodConsole.Core.Budgets.BudgetService>().StatusAsync(p.App)).ApplicationId))],
        ["BudgetService.AlertsAsync(Nullable<Int64>)"] =
        [
            new(Needs.ReadApp, p => p.Get<VodConsole.Core.Budgets.BudgetService>().AlertsAsync(p.App)),
            new(Needs.Administrator, p => p.Get<VodConsole.Core.Budgets.BudgetService>().AlertsAsync(null)),
        ],
        // No limits: the matrix's uploads and transcoding must not be stopped by it.
        ["BudgetService.SaveAsync(Int64, BudgetEdit)"] = [new(Needs.Administrator, async p =>
            await p.Get<VodConsole.Core.Budgets.BudgetService>().SaveAsync(p.App, new VodConsole.Core.Budgets.BudgetEdit(null, null, null, null, false,
                (await p.World.System<VodConsole.Core.Budgets.BudgetService>().StatusAsync(p.App)).Edit.Version)))],
        ["ConfigurationService.ExportAsync(Int64)"] = [new(Needs.ReadApp, async p =>
            Assert.Equal(p.App, (await p.Get<VodConsole.Core.Configuration.ConfigurationService>().ExportAsync(p.App)).Application.Id))],
        ["ConfigurationService.PreviewAsync(ConfigurationDocument, IReadOnlyCollection<ConfigSection>, IReadOnlyCollection<Int64>)"] =
        [
            new(Needs.WriteApp, async p => Assert.Equal(p.App, (await p.Get<VodConsole.Core.Configuration.ConfigurationService>().PreviewAsync(
                await p.World.ConfigurationAsync(p.App), [VodConsole.Core.Configuration.ConfigSection.Review], [p.App])).Targets.Single().ApplicationId)),
        ],
        ["ConfigurationService.ApplyAsync(ConfigurationPreview)"] = [new(Needs.WriteApp, async p =>
        {
            // A preview the system made of the application onto itself: applying it changes nothing, past the check.
            var system = p.World.System<VodConsole.Core.Configuration.ConfigurationService>();
            var preview = await system.PreviewAsync(await p.World.ConfigurationAsync(p.App), [VodConsole.Core.Configuration.ConfigSection.Review], [p.App]);
            await p.Get<VodConsole.Core.Configuration.ConfigurationService>().ApplyAsync(preview);
        })],
        ["BudgetMonitor.EvaluateAllAsync()"] = [new(Needs.System, p => p.Get<VodConsole.Core.Budgets.BudgetMonitor>().EvaluateAllAsync())],

        ["PackageLedger.GetLedgerAsync()"] = [new(Needs.Administrator, p => p.Get<PackageLedger>().GetLedgerAsync())],
        ["PackageLedger.SettleAsync(DateOnly)"] = [new(Needs.Administrator, p => p.Get<PackageLedger>().SettleAsync(World.Today.AddDays(-1)))],
        ["PackageLedger.SettleThroughAsync(DateOnly)"] = [new(Needs.Administrator, p => p.Get<PackageLedger>().SettleThroughAsync(World.Today.AddDays(-1)))],

        ["PlaybackSettingsService.GetAsync()"] = [new(Needs.ReadRole, p => p.Get<PlaybackSettingsService>().GetAsync())],
        ["PlaybackSettingsService.PlaybackRefusalAsync()"] = [new(Needs.ReadRole, p => p.Get<PlaybackSettingsService>().PlaybackRefusalAsync())],
        ["PlaybackGate.OriginalAsync(Int64, Int64)"] = [new(Needs.System, p => p.Get<PlaybackGate>().OriginalAsync(p.App, 1))],
        ["PlaybackGate.OutputAsync(Int64, Int64, Int64)"] = [new(Needs.System, p => p.Get<PlaybackGate>().OutputAsync(p.App, 1, 1))],
        ["PlaybackSettingsService.GetForAsync(Int64)"] = [new(Needs.WriteApp, p => p.Get<PlaybackSettingsService>().GetForAsync(p.App))],
        ["PlaybackSettingsService.SaveAsync(Boolean, String)"] = [new(Needs.WriteRole, p => p.Get<PlaybackSettingsService>().SaveAsync(false, null))],
        ["PlaybackSettingsService.SaveForAsync(Int64, Boolean, String)"] = [new(Needs.WriteApp, p =>
            p.Get<PlaybackSettingsService>().SaveForAsync(p.App, false, null))],
        ["PlaybackSettingsService.LinkAsync(String, Int64, Int32)"] = [new(Needs.ReadRole, async p =>
            await p.Get<PlaybackSettingsService>().LinkAsync("http://console.test", (await p.World.MediaAsync(p.App)).Id, 5))],
        ["PlaybackSettingsService.TreeLinkAsync(String, Int64, Int64, Int32)"] = [new(Needs.ReadRole, async p =>
        {
            var job = await p.World.TranscodeJobAsync(p.App, TranscodeJobState.Done, outputKey: $"{p.App}/{Guid.NewGuid():N}");
            Assert.EndsWith($"/outputs/{job.Id}/", await p.Get<PlaybackSettingsService>().TreeLinkAsync("http://console.test", job.MediaId, job.Id, 5));
        })],

        ["ServiceOverviewReport.LoadAsync()"] = [new(Needs.Administrator, p => p.Get<ServiceOverviewReport>().LoadAsync())],
        ["ServiceOverviewReport.LoadForApplicationAsync(Int64)"] = [new(Needs.ReadApp, p => p.Get<ServiceOverviewReport>().LoadForApplicationAsync(p.App))],
        ["StatisticsService.LoadAsync(StatisticsQuery, Nullable<Int64>)"] =
        [
            new(Needs.ReadApp, p => p.Get<StatisticsService>().LoadAsync(World.Statistics, p.App)),
            new(Needs.Administrator, p => p.Get<StatisticsService>().LoadAsync(World.Statistics, null)),
        ],

        ["UsageReport.FiguresByApplicationAsync(DateOnly, DateOnly, Nullable<Int64>)"] =
        [
            new(Needs.ReadApp, p => p.Get<UsageReport>().FiguresByApplicationAsync(World.Today.AddDays(-7), World.Today, p.App)),
            new(Needs.Administrator, p => p.Get<UsageReport>().FiguresByApplicationAsync(World.Today.AddDays(-7), World.Today, null)),
        ],
        ["UsageReport.AccountFiguresAsync(DateOnly, DateOnly)"] = [new(Needs.Administrator, p =>
            p.Get<UsageReport>().AccountFiguresAsync(World.Today.AddDays(-7), World.Today))],
        ["UsageReport.AccountPeakAsync(DateOnly, DateOnly)"] = [new(Needs.Administrator, p =>
            p.Get<UsageReport>().AccountPeakAsync(World.Today.AddDays(-7), World.Today))],
        ["UsageReport.DailySeriesAsync(UsageMetric, DateOnly, DateOnly, Nullable<Int64>)"] =
        [
            new(Needs.ReadApp, p => p.Get<UsageReport>().DailySeriesAsync(UsageMetric.StorageBytes, World.Today.AddDays(-7), World.Today, p.App)),
            new(Needs.Administrator, p => p.Get<UsageReport>().DailySeriesAsync(UsageMetric.StorageBytes, World.Today.AddDays(-7), World.Today, null)),
        ],

        ["TwoFactorService.StatusAsync(String)"] = Own(p => p.Get<TwoFactorService>().StatusAsync(p.UserId), p => p.Get<TwoFactorService>().StatusAsync(p.World.Bystander)),
        ["TwoFactorService.SetupAsync(String)"] = Own(p => PastTheCheck(() => p.Get<TwoFactorService>().SetupAsync(p.UserId)),
            p => p.Get<TwoFactorService>().SetupAsync(p.World.Bystander)),
        ["TwoFactorService.EnableAsync(String, String)"] = Own(p => PastTheCheck(() => p.Get<TwoFactorService>().EnableAsync(p.UserId, "000000")),
            p => p.Get<TwoFactorService>().EnableAsync(p.World.Bystander, "000000")),
        ["TwoFactorService.DisableAsync(String, String)"] = Own(p => PastTheCheck(() => p.Get<TwoFactorService>().DisableAsync(p.UserId, "wrong")),
            p => p.Get<TwoFactorService>().DisableAsync(p.World.Bystander, "wrong")),
        ["TwoFactorService.ResetAuthenticatorAsync(String, String)"] = Own(p => p.Get<TwoFactorService>().ResetAuthenticatorAsync(p.UserId, TestConsole.OwnerPassword),
            p => p.Get<TwoFactorService>().ResetAuthenticatorAsync(p.World.Bystander, "wrong")),
        ["TwoFactorService.GenerateRecoveryCodesAsync(String)"] = Own(p => PastTheCheck(() => p.Get<TwoFactorService>().GenerateRecoveryCodesAsync(p.UserId)),
            p => p.Get<TwoFactorService>().GenerateRecoveryCodesAsync(p.World.Bystander)),

        ["ApiKeyService.ListAsync()"] =
        [
            new(Needs.ReadRole, p => p.Get<VodConsole.Core.Api.ApiKeyService>().ListAsync()),
            new(Needs.AdminRole, p => p.Get<VodConsole.Core.Api.ApiKeyService>().ListAsync()),
        ],
        ["ApiKeyService.CreateAsync(String, ApplicationAccess)"] =
        [
            new(Needs.WriteRole, p => p.Get<VodConsole.Core.Api.ApiKeyService>().CreateAsync("Matrix", ApplicationAccess.ReadOnly)),
            new(Needs.AdminRole, p => p.Get<VodConsole.Core.Api.ApiKeyService>().CreateAsync("Matrix", ApplicationAccess.Full)),
        ],
        ["ApiKeyService.SetEnabledAsync(Int64, Boolean)"] =
        [
            new(Needs.WriteRole, async p => await p.Get<VodConsole.Core.Api.ApiKeyService>().SetEnabledAsync(await p.World.ApiKeyAsync(p.App), false)),
            new(Needs.AdminRole, async p => await p.Get<VodConsole.Core.Api.ApiKeyService>().SetEnabledAsync(await p.World.ApiKeyAsync(null), false)),
        ],
        ["ApiKeyService.DeleteAsync(Int64)"] =
        [
            new(Needs.WriteRole, async p => await p.Get<VodConsole.Core.Api.ApiKeyService>().DeleteAsync(await p.World.ApiKeyAsync(p.App))),
            new(Needs.AdminRole, async p => await p.Get<VodConsole.Core.Api.ApiKeyService>().DeleteAsync(await p.World.ApiKeyAsync(null))),
        ],
        ["ApiUploadService.StartAsync(String)"] = [new(Needs.KeyWriteRole, p => p.Get<VodConsole.Core.Api.ApiUploadService>().StartAsync("clip.mp4"))],
        ["ApiUploadService.ReceiveAsync(String, Stream, Int64)"] = [new(Needs.KeyWriteRole, async p =>
            await p.Get<VodConsole.Core.Api.ApiUploadService>().ReceiveAsync(await p.World.ApiUploadAsync(p.App, p.KeyId, received: false), new MemoryStream(World.Mp4()), 1_000_000))],
        ["ApiUploadService.CommitAsync(String)"] = [new(Needs.KeyWriteRole, async p =>
            await p.Get<VodConsole.Core.Api.ApiUploadService>().CommitAsync(await p.World.ApiUploadAsync(p.App, p.KeyId, received: true)))],
        ["ApiUploadService.PruneExpiredAsync()"] = [new(Needs.System, p => p.Get<VodConsole.Core.Api.ApiUploadService>().PruneExpiredAsync())],
        ["ApiUploadService.RecoverInterruptedAsync()"] = [new(Needs.System, p => p.Get<VodConsole.Core.Api.ApiUploadService>().RecoverInterruptedAsync())],
        ["CallbackDelivery.ReleaseInterruptedClaimsAsync()"] = [new(Needs.System, p => p.Get<CallbackDelivery>().ReleaseInterruptedClaimsAsync())],
        ["MediaFileReconciler.ReconcileAsync(Boolean)"] = [new(Needs.System, p => p.Get<MediaFileReconciler>().ReconcileAsync(false))],
        ["UsageReconciler.ReconcileAsync()"] = [new(Needs.System, p => p.Get<UsageReconciler>().ReconcileAsync())],
        ["CrashRecovery.RecoverAtStartAsync(Boolean)"] = [new(Needs.System, p => p.Get<CrashRecovery>().RecoverAtStartAsync(false))],
        ["CrashRecovery.MaintainAsync()"] = [new(Needs.System, p => p.Get<CrashRecovery>().MaintainAsync())],
        ["MediaLibrary.FindManyAsync(IReadOnlyCollection<Int64>)"] = [new(Needs.ReadRole, async p =>
            Assert.Single(await p.Get<MediaLibrary>().FindManyAsync([(await p.World.MediaAsync(p.App)).Id])))],
        ["MediaUploadService.StoreAsync(Int64, Stream, Int64)"] = [new(Needs.WriteApp, p =>
            p.Get<MediaUploadService>().StoreAsync(p.App, new MemoryStream(World.Mp4()), 1_000_000))],
        ["MediaUploadService.RecordAsync(Int64, String, StoredUpload, Action<VodDbContext,MediaItem>)"] = [new(Needs.WriteApp, async p =>
            await p.Get<MediaUploadService>().RecordAsync(p.App, "clip.mp4", await p.World.StoredUploadAsync(p.App), null))],

        ["UserAccessService.ListAsync()"] = [new(Needs.Administrator, p => p.Get<UserAccessService>().ListAsync())],
        ["UserAccessService.AddAsync(String, String)"] = [new(Needs.Administrator, p =>
            p.Get<UserAccessService>().AddAsync($"added-{Guid.NewGuid():N}@vod.test", null))],
        ["UserAccessService.ResetPasswordAsync(String)"] = [new(Needs.Administrator, async p =>
            await p.Get<UserAccessService>().ResetPasswordAsync(await p.World.BystanderAsync()))],
        ["UserAccessService.ResetPasswordFromShellAsync(String)"] = [new(Needs.System, p =>
            p.Get<UserAccessService>().ResetPasswordFromShellAsync("bystander@matrix.test"))],
        ["UserAccessService.TurnOffTwoFactorAsync(String)"] = [new(Needs.Administrator, async p =>
            await PastTheCheck(async () => await p.Get<UserAccessService>().TurnOffTwoFactorAsync(await p.World.BystanderAsync())))],
        ["UserAccessService.SetLockedAsync(String, Boolean)"] = [new(Needs.Administrator, async p =>
            await p.Get<UserAccessService>().SetLockedAsync(await p.World.BystanderAsync(), true))],
        ["UserAccessService.RemoveAsync(String)"] = [new(Needs.Administrator, async p =>
            await p.Get<UserAccessService>().RemoveAsync(await p.World.BystanderAsync()))],
        ["UserAccessService.SetAccessAsync(String, Boolean, IReadOnlyDictionary<Int64,ApplicationAccess>, IReadOnlyDictionary<Int64,DateTime>)"] = [new(Needs.Administrator, async p =>
            await p.Get<UserAccessService>().SetAccessAsync(await p.World.BystanderAsync(), false,
                new Dictionary<long, ApplicationAccess> { [p.App] = ApplicationAccess.ReadOnly },
                new Dictionary<long, DateTime> { [p.App] = DateTime.UtcNow.AddDays(1) }))],
        ["ViewAsService.StartAsync(String)"] = [new(Needs.AdministratorInPerson, async p =>
        {
            await p.Get<ViewAsService>().StartAsync(await p.World.BystanderAsync());
            await p.Get<ViewAsService>().StopAsync(); // the matrix's administrator goes on as themselves
        })],
        ["ViewAsService.StopAsync()"] = [new(Needs.OwnViewAs, async p =>
        {
            await p.Get<ViewAsService>().StopAsync();
            await p.World.ViewAgainAsync(); // the view-as people go on viewing
        })],
        ["AccessLapses.LapseDueAsync()"] = [new(Needs.System, p => p.Get<AccessLapses>().LapseDueAsync())],
        ["AccessLapses.NextDueAsync()"] = [new(Needs.System, p => p.Get<AccessLapses>().NextDueAsync())],
    };

    /// <summary>A lease nobody holds (its job does not exist): what a stale runner of application X would pass.</summary>
    private static JobLease<MediaPull> NoLease(Probe p) =>
        new(new MediaPull { Id = -1, ApplicationId = p.App, Url = "https://example.com/a.mp4", FileName = "a.mp4" }, "not-an-instance", 1);

    /// <summary>An operation on the caller's own account: allowed for themselves, refused for anyone else.</summary>
    private static Rule[] Own(Func<Probe, Task> forThemselves, Func<Probe, Task> forSomeoneElse) =>
        [new(Needs.Self, forThemselves), new(Needs.NoneOfThem, forSomeoneElse)];

    /// <summary>
    /// For operations whose success needs a secret only a person has (a code from their app): a rule refusing the input
    /// means the call got past the access check, which is what the matrix is about; a refusal of access still counts.
    /// </summary>
    private static async Task PastTheCheck(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (DomainRuleException rule) when (rule is not AccessDeniedException)
        {
        }
    }

    public static TheoryData<string> Operations() => new(OperationsInCode().Select(o => o.Key).Except(Unchecked.Keys));

    [Fact]
    public void Every_operation_in_the_code_has_a_rule_and_every_rule_an_operation()
    {
        var inCode = OperationsInCode().Select(o => o.Key).ToHashSet();
        var ruled = Rules.Keys.Concat(Unchecked.Keys).ToHashSet();

        Assert.True(inCode.SetEquals(ruled),
            $"Without a rule: {string.Join("; ", inCode.Except(ruled))}. Rules for nothing: {string.Join("; ", ruled.Except(inCode))}.");
        Assert.All(Infrastructure.Keys, type => Assert.Contains(type, RegisteredTypes()));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Each_operation_is_allowed_exactly_where_the_grants_say(string operation)
    {
        Assert.True(Rules.TryGetValue(operation, out var rules), $"No rule for {operation}: add one to {nameof(Rules)}.");
        var wrong = new List<string>();
        foreach (var rule in rules)
        {
            foreach (var person in Enum.GetValues<Person>())
            {
                foreach (var app in world.Applications)
                {
                    var expected = world.Allows(rule, person, app);
                    var outcome = await world.RunAsync(rule, person, app);
                    if ((outcome == Outcome.Allowed) != expected)
                    {
                        wrong.Add($"{rule.Needs} as {person} on {world.NameOf(app)}: expected {(expected ? "allowed" : "refused")}, was {outcome}");
                    }
                }
            }
        }
        Assert.True(wrong.Count == 0, $"{operation}:\n" + string.Join("\n", wrong));
    }

    public enum Outcome { Allowed, Refused, RoleNotFound }

    private static IEnumerable<Type> RegisteredTypes()
    {
        var services = new ServiceCollection();
        services.AddVodConsoleCore(DatabaseOptions.Sqlite("Data Source=:memory:"));
        var core = typeof(CoreServiceRegistration).Assembly;
        return services.Select(d => d.ImplementationType ?? d.ServiceType).Where(t => t.Assembly == core).Distinct();
    }

    private static IEnumerable<(string Key, MethodInfo Method)> OperationsInCode() =>
        RegisteredTypes()
            .Where(type => !Infrastructure.ContainsKey(type))
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(method => !method.IsSpecialName)
            .Select(method => (KeyOf(method), method));

    private static string KeyOf(MethodInfo method) =>
        $"{method.DeclaringType!.Name}.{method.Name}({string.Join(", ", method.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).Select(p => NameOf(p.ParameterType)))})";

    private static string NameOf(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(",", type.GetGenericArguments().Select(NameOf))}>"
        : type.Name;

    /// <summary>One console shared by the matrix: applications A and B, the primary one, and the five people.</summary>
    public sealed class World : IAsyncLifetime
    {
        public static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
        public static readonly StatisticsQuery Statistics = new(UsageMetric.StorageBytes, StatisticsRange.Last(7, TimeProvider.System));

        private TestConsole console = null!;
        private readonly Dictionary<Person, string> people = [];
        private readonly Dictionary<Person, VodConsole.Core.Api.ApiKeyCaller> keys = [];
        private string videoPath = "";

        public long A { get; private set; }
        public long B { get; private set; }
        public long Primary { get; private set; }
        public IReadOnlyList<long> Applications => [A, B, Primary];
        public byte[] CoverImage { get; private set; } = [];

        public async ValueTask InitializeAsync()
        {
            console = await TestConsole.StartAsync(s => s.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()));
            await console.EnableSubApplicationsAsync();
            var applications = console.Get<ApplicationService>();
            A = (await applications.CreateSubApplicationAsync("Matrix A", null)).Id;
            B = (await applications.CreateSubApplicationAsync("Matrix B", null)).Id;
            Primary = (await applications.ListAsync()).Single(a => a.IsPrimary).Id;

            people[Person.Administrator] = await console.AddUserAsync("administrator@matrix.test", isAdministrator: true);
            people[Person.FullA] = await UserWithAsync("full-a", A, ApplicationAccess.Full);
            people[Person.ReadOnlyA] = await UserWithAsync("readonly-a", A, ApplicationAccess.ReadOnly);
            people[Person.FullB] = await UserWithAsync("full-b", B, ApplicationAccess.Full);
            people[Person.FullAReadOnlyB] = await UserWithAsync("full-a-readonly-b", A, ApplicationAccess.Full);
            await GrantAsync(people[Person.FullAReadOnlyB], B, ApplicationAccess.ReadOnly);
            people[Person.Nobody] = await console.AddUserAsync("nobody@matrix.test");
            Bystander = await console.AddUserAsync("bystander@matrix.test");
            people[Person.ViewAsFullA] = await console.AddUserAsync("viewer-full-a@matrix.test", isAdministrator: true);
            people[Person.ViewAsReadOnlyA] = await console.AddUserAsync("viewer-readonly-a@matrix.test", isAdministrator: true);
            await ViewAgainAsync();
            keys[Person.AccountKey] = await CallerAsync(null, ApplicationAccess.Full);
            keys[Person.KeyFullA] = await CallerAsync(A, ApplicationAccess.Full);
            keys[Person.KeyReadOnlyA] = await CallerAsync(A, ApplicationAccess.ReadOnly);

            // Pull mode for every application: test events and replays need callbacks on, and nothing is sent anywhere.
            foreach (var app in Applications)
            {
                var scope = await console.InApplicationAsync(app);
                await scope.GetRequiredService<CallbackSettingsService>()
                    .SaveAsync(new CallbackSettingsEdit(CallbackMode.Pull, null, CallbackSubscriptions.Choosable, 0));
            }

            var folder = Directory.CreateTempSubdirectory("matrix-media-").FullName;
            videoPath = await TestMedia.VideoAsync(folder, "matrix.mp4");
            CoverImage = await File.ReadAllBytesAsync(await TestMedia.ImageAsync(folder));
        }

        public async ValueTask DisposeAsync() => await console.DisposeAsync();

        public string NameOf(long app) => app == A ? "A" : app == B ? "B" : "primary";

        /// <summary>The view-as people's sessions, as their administrators start them (again, after a rule stopped them).</summary>
        public async Task ViewAgainAsync()
        {
            foreach (var (viewer, viewed) in new[] { (Person.ViewAsFullA, Person.FullA), (Person.ViewAsReadOnlyA, Person.ReadOnlyA) })
            {
                var scope = await console.AsUserAsync(people[viewer]);
                if (scope.GetRequiredService<RoleContext>().Catalog!.ViewAs is null)
                {
                    await scope.GetRequiredService<ViewAsService>().StartAsync(people[viewed]);
                }
            }
        }

        /// <summary>Where a move from the application goes: A and B swap, the primary sends to A.</summary>
        public long Elsewhere(long app) => app == A ? B : A;

        public T System<T>() where T : notnull => console.Get<T>();

        public bool Allows(Rule rule, Person person, long app)
        {
            if (person == Person.NoCaller)
            {
                return false;
            }
            var isKey = person is Person.AccountKey or Person.KeyFullA or Person.KeyReadOnlyA;
            var viewing = person is Person.ViewAsFullA or Person.ViewAsReadOnlyA;
            var like = Like(person);
            bool MayChange(long id) => like == Person.Administrator || GrantOf(like, id) == ApplicationAccess.Full;
            var allowed = rule.Needs switch
            {
                Needs.ReadRole or Needs.ReadApp => MaySee(person, app),
                Needs.FullReadApp => MayChange(app),
                Needs.OwnViewAs => !isKey,
                // Viewing as someone changes nothing, whatever they may do.
                _ when viewing => rule.Needs == Needs.AnyUser,
                Needs.WriteRole or Needs.WriteApp => MayChange(app),
                Needs.Administrator or Needs.AdminRole => like == Person.Administrator,
                Needs.AdministratorInPerson => like == Person.Administrator && !isKey,
                Needs.AnyUser => true,
                Needs.Self => !isKey,
                Needs.KeyWriteRole => isKey && MayChange(app),
                Needs.NoneOfThem or Needs.System => false,
                _ => throw new ArgumentOutOfRangeException(nameof(rule)),
            };
            return allowed && (rule.AlsoWrites is null || MayChange(rule.AlsoWrites(this, app)));
        }

        /// <summary>A key may do what the person with the same grant may (an account key: an Administrator); a view reads as its user.</summary>
        private static Person Like(Person person) => person switch
        {
            Person.AccountKey => Person.Administrator,
            Person.KeyFullA or Person.ViewAsFullA => Person.FullA,
            Person.KeyReadOnlyA or Person.ViewAsReadOnlyA => Person.ReadOnlyA,
            _ => person,
        };

        public bool MaySee(Person person, long app) =>
            person != Person.NoCaller && (Like(person) == Person.Administrator || GrantOf(Like(person), app) is not null);

        /// <summary>Every application the person may see, in ID order.</summary>
        public IReadOnlyList<long> Visible(Person person) => [.. Applications.Where(app => MaySee(person, app)).Order()];

        private ApplicationAccess? GrantOf(Person person, long app) => (person, app) switch
        {
            (Person.FullA or Person.FullAReadOnlyB, var id) when id == A => ApplicationAccess.Full,
            (Person.FullAReadOnlyB, var id) when id == B => ApplicationAccess.ReadOnly,
            (Person.ReadOnlyA, var id) when id == A => ApplicationAccess.ReadOnly,
            (Person.FullB, var id) when id == B => ApplicationAccess.Full,
            _ => null,
        };

        /// <summary>
        /// Calls the rule's operation as the person: in application X's role for role operations (when the shell would
        /// resolve it at all), otherwise in the person's default role, as a page or endpoint elsewhere would.
        /// </summary>
        public async Task<Outcome> RunAsync(Rule rule, Person person, long app)
        {
            RoleRoute? route = rule.Needs switch
            {
                Needs.ReadRole or Needs.WriteRole or Needs.KeyWriteRole => new RoleRoute(RoleRouteKind.Application, app),
                Needs.AdminRole => new RoleRoute(RoleRouteKind.Admin),
                _ => null,
            };
            var scope = console.NewScope();
            if (person == Person.NoCaller)
            {
                return await InvokeAsync(rule, new Probe(scope, app, "not-a-user", "not-a-key", this, person));
            }
            var roles = scope.GetRequiredService<RoleContext>();
            var key = keys.GetValueOrDefault(person);
            var catalog = key is null
                ? (await scope.GetRequiredService<RoleResolver>().LoadCatalogAsync(people[person]))!
                : await scope.GetRequiredService<VodConsole.Core.Api.ApiKeyRoles>().LoadCatalogAsync(key);
            // In the route's role when it names one (and the shell or the API would resolve it at all), else the caller's own.
            var role = route is { } r ? catalog.Resolve(r) : catalog.DefaultRole;
            if (route is not null && role is null)
            {
                return Outcome.RoleNotFound;
            }
            if (key is null)
            {
                roles.Enter(catalog, role);
            }
            else
            {
                roles.EnterApi(key, catalog, role);
            }
            return await InvokeAsync(rule, new Probe(scope, app, people.GetValueOrDefault(person, "not-a-user"), key?.KeyId ?? "not-a-key", this, person));
        }

        private static async Task<Outcome> InvokeAsync(Rule rule, Probe probe)
        {
            try
            {
                await rule.Invoke(probe);
                return Outcome.Allowed;
            }
            catch (AccessDeniedException)
            {
                return Outcome.Refused;
            }
        }

        /// <summary>
        /// A ready media item of the application; with a real video file when the call needs one (covers from frames); awaiting
        /// review with a storyboard frame's key when asked.
        /// </summary>
        public async Task<MediaItem> MediaAsync(long app, bool withVideo = false, ReviewState review = ReviewState.Approved, string title = "Matrix clip")
        {
            var key = $"{app}/{Guid.NewGuid():N}";
            if (withVideo)
            {
                var path = Path.Combine(console.MediaRoot, key);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.Copy(videoPath, path);
            }
            await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
            var item = new MediaItem
            {
                ApplicationId = app, Title = title, Status = MediaStatus.Normal, ContentType = "video/mp4",
                StorageKey = key, SizeBytes = 1000, CreatedAt = DateTime.UtcNow, ModifiedAt = DateTime.UtcNow,
                DurationSeconds = withVideo ? 2 : null, ReviewState = review,
                StoryboardKeys = review == ReviewState.Awaiting ? [$"{app}/matrix-frame"] : [],
            };
            db.Media.Add(item);
            await db.SaveChangesAsync();
            return item;
        }

        public static TranscodeTemplateEdit TemplateEdit() =>
            new($"Matrix {Guid.NewGuid():N}"[..20], TranscodeFormat.Mp4, [new TranscodeRendition(360, 800, 30, 96)]);

        /// <summary>A custom transcoding template of the application.</summary>
        public async Task<TranscodeTemplate> TemplateAsync(long app)
        {
            await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
            var edit = TemplateEdit();
            var template = new TranscodeTemplate
            {
                ApplicationId = app, Name = edit.Name!, NormalizedName = edit.Name!.ToUpperInvariant(), Format = edit.Format,
                Renditions = [.. edit.Renditions], CreatedAt = DateTime.UtcNow, ModifiedAt = DateTime.UtcNow,
            };
            db.TranscodeTemplates.Add(template);
            await db.SaveChangesAsync();
            return template;
        }

        /// <summary>A transcoding job of a new media item of the application, in the given state (with an output key when given).</summary>
        public async Task<TranscodeJob> TranscodeJobAsync(long app, TranscodeJobState state, string? outputKey = null)
        {
            var media = await MediaAsync(app);
            await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
            var job = new TranscodeJob
            {
                ApplicationId = app, MediaId = media.Id, TemplateId = TranscodePresets.Mp4720Id, TemplateName = "MP4 720p",
                Format = TranscodeFormat.Mp4, Renditions = [new(720, 2800, 30, 128)], State = state, CreatedAt = DateTime.UtcNow,
                OutputKey = outputKey,
            };
            db.TranscodeJobs.Add(job);
            await db.SaveChangesAsync();
            return job;
        }

        /// <summary>The application's configuration, exported by the system.</summary>
        public Task<VodConsole.Core.Configuration.ConfigurationDocument> ConfigurationAsync(long app) =>
            System<VodConsole.Core.Configuration.ConfigurationService>().ExportAsync(app);

        /// <summary>An event waiting in the application's pull queue.</summary>
        /// <summary>The version of the application's callback settings now, as its page would have read it.</summary>
        public async Task<long> CallbackVersionAsync(long app)
        {
            await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
            return await db.CallbackSettings.Select(s => s.Version).SingleAsync();
        }

        public async Task<long> CallbackEventAsync(long app)
        {
            await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
            var e = new CallbackEvent
            {
                ApplicationId = app, Type = CallbackEventType.Test, Delivery = CallbackMode.Pull, State = CallbackEventState.Pending,
                CreatedAt = DateTime.UtcNow,
            };
            db.CallbackEvents.Add(e);
            await db.SaveChangesAsync();
            return e.Id;
        }

        public async Task<long> CategoryAsync(long app)
        {
            await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
            var category = new MediaCategory { ApplicationId = app, Name = $"Matrix {Guid.NewGuid():N}"[..20] };
            db.MediaCategories.Add(category);
            await db.SaveChangesAsync();
            return category.Id;
        }

        /// <summary>A fresh traffic package of the account (version 0), for the correction and cancellation operations.</summary>
        public async Task<long> PackageAsync()
        {
            await using var db = await console.OpenDbAsync();
            var package = new ResourcePackage
            {
                Type = PackageType.Traffic, Amount = 1_000_000, StartsOn = Today, ExpiresOn = Today.AddDays(30), CreatedAt = DateTime.UtcNow,
            };
            db.ResourcePackages.Add(package);
            await db.SaveChangesAsync();
            return package.Id;
        }

        /// <summary>An enabled API key of the application (null: of the account), for the key-management operations.</summary>
        public async Task<long> ApiKeyAsync(long? app)
        {
            await using var db = await console.OpenDbAsync();
            var key = new VodConsole.Core.Api.ApiKey
            {
                KeyId = VodConsole.Core.Api.ApiKeySecrets.NewKeyId(), Name = "Matrix", ApplicationId = app, Access = ApplicationAccess.Full,
                ProtectedSecret = "not used", CreatedAt = DateTime.UtcNow, CreatedBy = "matrix",
            };
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync();
            return key.Id;
        }

        /// <summary>An API upload session of the application and key, waiting for its file or (received) for its commit.</summary>
        public async Task<string> ApiUploadAsync(long app, string keyId, bool received)
        {
            var stored = received ? await StoredUploadAsync(app) : null;
            await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
            var upload = new VodConsole.Core.Api.ApiUpload
            {
                Id = Guid.NewGuid().ToString("N"), ApplicationId = app, FileName = "clip.mp4", KeyId = keyId,
                State = received ? VodConsole.Core.Api.ApiUploadState.Received : VodConsole.Core.Api.ApiUploadState.Started,
                StorageKey = stored?.StorageKey, ContentType = stored?.ContentType, SizeBytes = stored?.SizeBytes ?? 0,
                CreatedAt = DateTime.UtcNow, ExpiresAt = DateTime.UtcNow.AddHours(1),
            };
            db.ApiUploads.Add(upload);
            await db.SaveChangesAsync();
            return upload.Id;
        }

        /// <summary>A file stored for the application by system work, ready to be recorded as media.</summary>
        public Task<StoredUpload> StoredUploadAsync(long app) => console.Get<MediaUploadService>().StoreAsync(app, new MemoryStream(Mp4()), 1_000_000);

        private async Task<VodConsole.Core.Api.ApiKeyCaller> CallerAsync(long? app, ApplicationAccess access)
        {
            var id = await ApiKeyAsync(app);
            await using var db = await console.OpenDbAsync();
            var key = await db.ApiKeys.FindAsync(id);
            key!.Access = access;
            await db.SaveChangesAsync();
            return new VodConsole.Core.Api.ApiKeyCaller(key.Id, key.KeyId, key.Name, key.ApplicationId, key.Access);
        }

        /// <summary>Someone else, whose own settings nobody else may change.</summary>
        public string Bystander { get; private set; } = "";

        /// <summary>A user the user-management operations act on.</summary>
        public Task<string> BystanderAsync() => console.AddUserAsync($"bystander-{Guid.NewGuid():N}@matrix.test");

        public static byte[] Mp4()
        {
            var bytes = new byte[4096];
            Encoding.ASCII.GetBytes("\0\0\0\u0020ftypisom").CopyTo(bytes, 0);
            return bytes;
        }

        private async Task<string> UserWithAsync(string name, long app, ApplicationAccess access)
        {
            var userId = await console.AddUserAsync($"{name}@matrix.test");
            await GrantAsync(userId, app, access);
            return userId;
        }

        private async Task GrantAsync(string userId, long app, ApplicationAccess access)
        {
            await using var db = await console.OpenDbAsync();
            db.ApplicationGrants.Add(new ApplicationGrant { UserId = userId, ApplicationId = app, Access = access });
            await db.SaveChangesAsync();
        }

        /// <summary>
        /// A word found in one new media item of each application (A, B and the primary one), and nowhere else: what a
        /// search across applications may show of it depends only on who searches.
        /// </summary>
        public async Task<string> SearchableEverywhereAsync()
        {
            var word = $"crossfind{Guid.NewGuid():N}"[..24];
            foreach (var app in Applications)
            {
                await MediaAsync(app, title: $"Matrix {word}");
            }
            return word;
        }
    }
}
