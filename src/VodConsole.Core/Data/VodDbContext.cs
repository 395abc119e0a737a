using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Api;
using VodConsole.Core.Applications;
using VodConsole.Core.Audit;
using VodConsole.Core.Callbacks;
using VodConsole.Core.Common;
using VodConsole.Core.Instances;
using VodConsole.Core.Media;
using VodConsole.Core.Packages;
using VodConsole.Core.Chargeback;
using VodConsole.Core.Budgets;
using VodConsole.Core.Playback;
using VodConsole.Core.Review;
using VodConsole.Core.Transcoding;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Data;

/// <summary>
/// The console's database: Identity's tables plus the account and its applications.
/// Create one per operation through <see cref="IDbContextFactory{TContext}"/>. It also keeps the Data Protection keys, so
/// sign-in cookies survive restarts and are shared by every server on the same database.
/// </summary>
public sealed class VodDbContext(DbContextOptions<VodDbContext> options)
    : IdentityDbContext<ConsoleUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<DailyUsage> DailyUsage => Set<DailyUsage>();
    public DbSet<TrafficMinute> TrafficMinutes => Set<TrafficMinute>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<MediaItem> Media => Set<MediaItem>();
    public DbSet<MediaCategory> MediaCategories => Set<MediaCategory>();
    public DbSet<MediaPull> MediaPulls => Set<MediaPull>();
    public DbSet<PlaybackSettings> PlaybackSettings => Set<PlaybackSettings>();
    public DbSet<ApplicationGrant> ApplicationGrants => Set<ApplicationGrant>();
    public DbSet<ViewAsSession> ViewAsSessions => Set<ViewAsSession>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ApiNonce> ApiNonces => Set<ApiNonce>();
    public DbSet<ApiUpload> ApiUploads => Set<ApiUpload>();
    public DbSet<CallbackSettings> CallbackSettings => Set<CallbackSettings>();
    public DbSet<CallbackEvent> CallbackEvents => Set<CallbackEvent>();
    public DbSet<CallbackAttempt> CallbackAttempts => Set<CallbackAttempt>();
    public DbSet<TranscodeTemplate> TranscodeTemplates => Set<TranscodeTemplate>();
    public DbSet<TranscodeSettings> TranscodeSettings => Set<TranscodeSettings>();
    public DbSet<TranscodeJob> TranscodeJobs => Set<TranscodeJob>();
    public DbSet<MediaDerivative> MediaDerivatives => Set<MediaDerivative>();
    public DbSet<ReviewSettings> ReviewSettings => Set<ReviewSettings>();

    /// <summary>
    /// The application whose rows this context reads and writes (see <see cref="ApplicationData"/>). A context isolated
    /// to no application sees no application-owned row at all, unless it was opened system-wide.
    /// </summary>
    public long? IsolatedApplicationId { get; private set; }

    /// <summary>Opened for work that spans applications after its own checks (background processing, moves).</summary>
    public bool SystemWide { get; private set; }

    internal void IsolateTo(long applicationId) => IsolatedApplicationId = applicationId;

    internal void OpenSystemWide() => SystemWide = true;

    /// <summary>Why this context may not save anything (a view-as session's), or null.</summary>
    private string? writesRefused;

    internal void RefuseWrites(string reason) => writesRefused = reason;
    public DbSet<ResourcePackage> ResourcePackages => Set<ResourcePackage>();
    public DbSet<PackageSettlement> PackageSettlements => Set<PackageSettlement>();
    public DbSet<ChargebackRates> ChargebackRates => Set<ChargebackRates>();
    public DbSet<ApplicationBudget> ApplicationBudgets => Set<ApplicationBudget>();
    public DbSet<BudgetNotice> BudgetNotices => Set<BudgetNotice>();
    public DbSet<ConsoleInstance> ConsoleInstances => Set<ConsoleInstance>();
    public DbSet<PeriodLease> PeriodLeases => Set<PeriodLease>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite forgets the kind, so it is restored on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Account>(account =>
        {
            account.Property(a => a.Id).ValueGeneratedNever();
            account.Property(a => a.BillingMode).HasConversion<string>().HasMaxLength(16);
            account.Property(a => a.ServiceStatus).HasConversion<string>().HasMaxLength(16);
            account.Property(a => a.Version).IsConcurrencyToken();
        });

        builder.Entity<Application>(app =>
        {
            app.Property(a => a.Id).ValueGeneratedNever();
            app.Property(a => a.Name).HasMaxLength(ApplicationRules.NameMaxLength).IsRequired();
            app.Property(a => a.NormalizedName).HasMaxLength(ApplicationRules.NameMaxLength).IsRequired();
            app.HasIndex(a => a.NormalizedName).IsUnique();
            app.Property(a => a.Description).HasMaxLength(ApplicationRules.DescriptionMaxLength);
            app.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
            app.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
            app.Property(a => a.StatusBeforeSuspension).HasConversion<string>().HasMaxLength(16);
            app.Property(a => a.Version).IsConcurrencyToken();
            app.Ignore(a => a.IsPrimary);
        });

        builder.Entity<DailyUsage>(usage =>
        {
            usage.ToTable("DailyUsage");
            usage.HasKey(u => new { u.ApplicationId, u.Metric, u.Day });
            usage.Property(u => u.Metric).HasConversion<string>().HasMaxLength(24);
            // Covering index: range reads across applications (overview, statistics) never touch the table itself.
            usage.HasIndex(u => new { u.Day, u.Metric, u.ApplicationId, u.Value });
            usage.HasOne<Application>().WithMany().HasForeignKey(u => u.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ResourcePackage>(package =>
        {
            package.Property(p => p.Type).HasConversion<string>().HasMaxLength(16);
            package.Property(p => p.Name).HasMaxLength(PackageRules.NameMaxLength);
            package.Property(p => p.Version).IsConcurrencyToken();
            package.Ignore(p => p.Left);
            // Settlement looks up the packages valid on a day, earliest expiry first.
            package.HasIndex(p => new { p.ExpiresOn, p.StartsOn });
        });

        builder.Entity<PackageSettlement>(settlement =>
        {
            // The key makes a day's settlement unique per type, so two servers cannot settle a day twice.
            settlement.HasKey(s => new { s.Day, s.Type });
            settlement.Property(s => s.Type).HasConversion<string>().HasMaxLength(16);
            settlement.Property(s => s.BillingMode).HasConversion<string>().HasMaxLength(16);
        });

        builder.Entity<ChargebackRates>(rates =>
        {
            rates.Property(r => r.Id).ValueGeneratedNever();
            rates.Property(r => r.Version).IsConcurrencyToken();
        });

        builder.Entity<ApplicationBudget>(budget =>
        {
            budget.HasKey(b => b.ApplicationId);
            budget.Property(b => b.ApplicationId).ValueGeneratedNever();
            budget.HasQueryFilter(b => SystemWide || b.ApplicationId == IsolatedApplicationId);
            budget.Property(b => b.Version).IsConcurrencyToken();
            budget.HasOne<Application>().WithOne().HasForeignKey<ApplicationBudget>(b => b.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<BudgetNotice>(notice =>
        {
            // The key makes each announcement once per application, month, limit and level, across servers.
            notice.HasKey(n => new { n.ApplicationId, n.Month, n.Dimension, n.Level });
            notice.HasQueryFilter(n => SystemWide || n.ApplicationId == IsolatedApplicationId);
            notice.Property(n => n.Dimension).HasConversion<string>().HasMaxLength(16);
            notice.HasIndex(n => n.Month);
            notice.HasOne<Application>().WithMany().HasForeignKey(n => n.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<AuditEntry>(audit =>
        {
            audit.Property(a => a.Actor).HasMaxLength(AuditEntry.ActorMaxLength);
            audit.Property(a => a.Role).HasMaxLength(AuditEntry.RoleMaxLength);
            audit.Property(a => a.Action).HasMaxLength(AuditEntry.ActionMaxLength);
            audit.Property(a => a.Target).HasMaxLength(AuditEntry.TargetMaxLength);
            audit.Property(a => a.Before).HasMaxLength(AuditEntry.ValuesMaxLength);
            audit.Property(a => a.After).HasMaxLength(AuditEntry.ValuesMaxLength);
            // Filters page newest first by ID; no foreign keys, so an entry outlives what it names.
            audit.HasIndex(a => a.At);
            audit.HasIndex(a => new { a.ApplicationId, a.Id });
            audit.HasIndex(a => new { a.Action, a.Id });
            audit.HasIndex(a => new { a.Actor, a.Id });
        });

        builder.Entity<TrafficMinute>(traffic =>
        {
            traffic.HasKey(t => new { t.ApplicationId, t.Minute });
            traffic.HasOne<Application>().WithMany().HasForeignKey(t => t.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<MediaItem>(media =>
        {
            media.HasQueryFilter(m => SystemWide || m.ApplicationId == IsolatedApplicationId);
            // Random, not the next number: IDs are in playback URLs and must not tell how many there are.
            media.Property(m => m.Id).HasValueGenerator<RandomIdGenerator>();
            // Titles sort and compare without regard to case ("apple" before "Zebra").
            media.Property(m => m.Title).HasMaxLength(MediaItem.TitleMaxLength).UseCollation(CaseInsensitive(builder));
            media.Property(m => m.Description).HasMaxLength(MediaItem.DescriptionMaxLength);
            media.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            media.Property(m => m.VideoCodec).HasMaxLength(MediaItem.CodecMaxLength);
            media.Property(m => m.AudioCodec).HasMaxLength(MediaItem.CodecMaxLength);
            media.Property(m => m.ReviewState).HasConversion<string>().HasMaxLength(16);
            media.Property(m => m.ReviewReason).HasMaxLength(MediaReview.ReasonMaxLength);
            media.Property(m => m.ReviewedBy).HasMaxLength(AuditEntry.ActorMaxLength);
            // The review queue: an application's items awaiting review, oldest first.
            media.HasIndex(m => new { m.ApplicationId, m.ReviewState, m.CreatedAt });
            // The Blocked and Approved lists: an application's latest decisions of one kind, newest first.
            media.HasIndex(m => new { m.ApplicationId, m.ReviewState, m.ReviewedAt });
            media.Property(m => m.Version).IsConcurrencyToken();
            // Processing's lease (decision 0017): a processor whose lease was taken over cannot save its outcome.
            media.Property(m => m.LeaseOwner).HasMaxLength(ConsoleInstance.IdMaxLength).IsConcurrencyToken();
            media.Property(m => m.Attempt).IsConcurrencyToken();
            // Processing's queue, oldest first (MediaProcessor.Kind): only the few items waiting, so a poll that finds
            // none reads nothing rather than every media row (decision 0022). Both engines read this filter alike.
            media.HasIndex(m => new { m.CreatedAt, m.Id }, "IX_Media_ProcessingQueue").HasFilter("\"Status\" = 'Processing'");
            // Keyset paging per application: newest first, ID as the tie-breaker.
            media.HasIndex(m => new { m.ApplicationId, m.CreatedAt, m.Id });
            media.HasIndex(m => new { m.ApplicationId, m.Title, m.Id });
            media.HasIndex(m => new { m.ApplicationId, m.SizeBytes, m.Id });
            media.HasOne<Application>().WithMany().HasForeignKey(m => m.ApplicationId).OnDelete(DeleteBehavior.Restrict);
            media.HasOne<MediaCategory>().WithMany().HasForeignKey(m => m.CategoryId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<MediaCategory>(category =>
        {
            category.HasQueryFilter(c => SystemWide || c.ApplicationId == IsolatedApplicationId);
            category.Property(c => c.Name).HasMaxLength(MediaCategory.NameMaxLength);
            category.HasIndex(c => new { c.ApplicationId, c.Name }).IsUnique();
            category.HasOne<Application>().WithMany().HasForeignKey(c => c.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<MediaPull>(pull =>
        {
            pull.HasQueryFilter(p => SystemWide || p.ApplicationId == IsolatedApplicationId);
            pull.Property(p => p.Url).HasMaxLength(MediaPull.UrlMaxLength);
            pull.Property(p => p.FileName).HasMaxLength(MediaPull.UrlMaxLength);
            pull.Property(p => p.State).HasConversion<string>().HasMaxLength(16);
            pull.Property(p => p.FailureReason).HasMaxLength(MediaPull.FailureReasonMaxLength);
            pull.Property(p => p.LeaseOwner).HasMaxLength(ConsoleInstance.IdMaxLength).IsConcurrencyToken();
            pull.Property(p => p.Attempt).IsConcurrencyToken();
            // The upload page lists an application's latest jobs; the worker takes the oldest queued one.
            pull.HasIndex(p => new { p.ApplicationId, p.Id });
            pull.HasIndex(p => new { p.State, p.Id });
            pull.HasOne<Application>().WithMany().HasForeignKey(p => p.ApplicationId).OnDelete(DeleteBehavior.Restrict);
            pull.HasOne(p => p.Media).WithMany().HasForeignKey(p => p.MediaId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<PlaybackSettings>(settings =>
        {
            settings.HasKey(p => p.ApplicationId);
            settings.Property(p => p.ApplicationId).ValueGeneratedNever();
            settings.HasQueryFilter(p => SystemWide || p.ApplicationId == IsolatedApplicationId);
            settings.Property(p => p.ProtectedSigningKey).HasMaxLength(Playback.PlaybackSettings.ProtectedKeyMaxLength);
            settings.HasOne<Application>().WithOne().HasForeignKey<PlaybackSettings>(p => p.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<CallbackSettings>(settings =>
        {
            settings.HasKey(c => c.ApplicationId);
            settings.Property(c => c.ApplicationId).ValueGeneratedNever();
            settings.HasQueryFilter(c => SystemWide || c.ApplicationId == IsolatedApplicationId);
            settings.Property(c => c.Mode).HasConversion<string>().HasMaxLength(8);
            settings.Property(c => c.Url).HasMaxLength(Callbacks.CallbackSettings.UrlMaxLength);
            settings.Property(c => c.EventTypes).HasMaxLength(Callbacks.CallbackSettings.EventTypesMaxLength);
            settings.Property(c => c.ProtectedKey).HasMaxLength(Callbacks.CallbackSettings.ProtectedKeyMaxLength);
            settings.Property(c => c.Version).IsConcurrencyToken();
            settings.HasOne<Application>().WithOne().HasForeignKey<CallbackSettings>(c => c.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<CallbackEvent>(e =>
        {
            e.HasQueryFilter(x => SystemWide || x.ApplicationId == IsolatedApplicationId);
            e.Property(x => x.Id).HasValueGenerator<RandomIdGenerator>();
            e.Property(x => x.Type).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Delivery).HasConversion<string>().HasMaxLength(8);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.LastResult).HasMaxLength(CallbackEvent.ResultMaxLength);
            // A claim is recorded only by the worker that still holds it.
            e.Property(x => x.ClaimToken).IsConcurrencyToken();
            // The log pages an application's events newest first and pull reads them oldest first (by time, the random ID
            // breaking ties); the worker looks for due push events.
            e.HasIndex(x => new { x.ApplicationId, x.CreatedAt, x.Id });
            e.HasIndex(x => new { x.State, x.Delivery, x.NextAttemptAt });
            // Pruning finds what is past the retention period (Callbacks:RetentionDays).
            e.HasIndex(x => x.CreatedAt);
            e.HasOne<Application>().WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<CallbackAttempt>(attempt =>
        {
            attempt.HasQueryFilter(a => SystemWide || a.ApplicationId == IsolatedApplicationId);
            attempt.Property(a => a.Error).HasMaxLength(CallbackEvent.ResultMaxLength);
            attempt.Property(a => a.ResponseExcerpt).HasMaxLength(CallbackEvent.ResultMaxLength);
            attempt.Ignore(a => a.Succeeded);
            attempt.HasIndex(a => new { a.EventId, a.Number }).IsUnique();
            attempt.HasOne<CallbackEvent>().WithMany().HasForeignKey(a => a.EventId).OnDelete(DeleteBehavior.Cascade);
        });

        ConfigureTranscoding(builder);

        builder.Entity<ConsoleUser>().Property(u => u.LastRole).HasMaxLength(32);

        builder.Entity<ApplicationGrant>(grant =>
        {
            // The key of every access check: "may this user write to this application?" is one index seek.
            grant.HasIndex(g => new { g.UserId, g.ApplicationId }).IsUnique();
            grant.Property(g => g.Access).HasConversion<string>().HasMaxLength(16);
            grant.HasOne(g => g.User).WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
            grant.HasOne<Application>().WithMany().HasForeignKey(g => g.ApplicationId).OnDelete(DeleteBehavior.Restrict);
            grant.HasIndex(g => g.ExpiresAt); // the lapse worker's "which grant ends next?"
        });
        builder.Entity<ViewAsSession>(session =>
        {
            session.HasKey(s => s.AdministratorId); // one view-as at a time per administrator
            session.HasOne<ConsoleUser>().WithMany().HasForeignKey(s => s.AdministratorId).OnDelete(DeleteBehavior.Cascade);
            session.HasOne<ConsoleUser>().WithMany().HasForeignKey(s => s.ViewedUserId).OnDelete(DeleteBehavior.Cascade);
            session.HasIndex(s => s.EndsAt);
        });

        builder.Entity<ApiKey>(key =>
        {
            // Every signed request looks its key up by the public ID.
            key.HasIndex(k => k.KeyId).IsUnique();
            key.Property(k => k.KeyId).HasMaxLength(ApiKey.KeyIdMaxLength);
            key.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength);
            key.Property(k => k.Access).HasConversion<string>().HasMaxLength(16);
            key.Property(k => k.ProtectedSecret).HasMaxLength(ApiKey.ProtectedSecretMaxLength);
            key.Property(k => k.CreatedBy).HasMaxLength(AuditEntry.ActorMaxLength);
            key.Property(k => k.DisabledReason).HasMaxLength(ApiKey.DisabledReasonMaxLength);
            // No foreign key: a removed user's keys stay (disabled) for whoever still has access to look at or re-enable.
            key.HasIndex(k => k.ResponsibleUserId);
            key.HasIndex(k => k.ApplicationId);
            key.Ignore(k => k.IsAccountKey);
            key.HasOne<Application>().WithMany().HasForeignKey(k => k.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ApiNonce>(nonce =>
        {
            // The key refuses a second use of a nonce on every server at once; pruning walks the expiry index.
            nonce.HasKey(n => new { n.KeyId, n.Nonce });
            nonce.Property(n => n.KeyId).HasMaxLength(ApiKey.KeyIdMaxLength);
            nonce.Property(n => n.Nonce).HasMaxLength(ApiNonce.MaxLength);
            nonce.HasIndex(n => n.ExpiresAt);
        });

        builder.Entity<ApiUpload>(upload =>
        {
            upload.HasQueryFilter(u => SystemWide || u.ApplicationId == IsolatedApplicationId);
            upload.Property(u => u.Id).HasMaxLength(ApiUpload.IdLength).ValueGeneratedNever();
            upload.Property(u => u.FileName).HasMaxLength(ApiUpload.FileNameMaxLength);
            upload.Property(u => u.KeyId).HasMaxLength(ApiKey.KeyIdMaxLength);
            upload.Property(u => u.State).HasConversion<string>().HasMaxLength(16);
            upload.Property(u => u.ContentType).HasMaxLength(100);
            upload.Property(u => u.ReceiveLeaseId).HasMaxLength(ApiUpload.IdLength);
            upload.HasIndex(u => u.ExpiresAt);
            upload.HasOne(u => u.Media).WithMany().HasForeignKey(u => u.MediaId).OnDelete(DeleteBehavior.SetNull);
            upload.HasOne<Application>().WithMany().HasForeignKey(u => u.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });
    }

    /// <summary>
    /// The collation that ignores case: SQLite's built-in NOCASE; on PostgreSQL an ICU collation at secondary strength
    /// (case ignored, accents not), created by its migrations.
    /// </summary>
    private string CaseInsensitive(ModelBuilder builder)
    {
        if (!Database.IsNpgsql())
        {
            return "NOCASE";
        }
        const string name = "case_insensitive";
        builder.HasCollation(name, locale: "und-u-ks-level2", provider: "icu", deterministic: false);
        return name;
    }

    private void ConfigureTranscoding(ModelBuilder builder)
    {
        // Renditions are always read and written with their template or job: one JSON column each, not a child table.
        var renditions = new ValueConverter<List<TranscodeRendition>, string>(
            v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
            v => JsonSerializer.Deserialize<List<TranscodeRendition>>(v, (JsonSerializerOptions?)null) ?? new List<TranscodeRendition>());
        var renditionsComparer = new ValueComparer<List<TranscodeRendition>>(
            (a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (hash, r) => HashCode.Combine(hash, r.GetHashCode())), v => v.ToList());

        builder.Entity<TranscodeTemplate>(template =>
        {
            template.HasQueryFilter(t => SystemWide || t.ApplicationId == IsolatedApplicationId);
            template.Property(t => t.Name).HasMaxLength(TranscodeTemplate.NameMaxLength);
            template.Property(t => t.NormalizedName).HasMaxLength(TranscodeTemplate.NameMaxLength);
            template.HasIndex(t => new { t.ApplicationId, t.NormalizedName }).IsUnique();
            template.Property(t => t.Format).HasConversion<string>().HasMaxLength(8);
            template.Property(t => t.Renditions).HasConversion(renditions, renditionsComparer);
            template.Property(t => t.Version).IsConcurrencyToken();
            template.HasOne<Application>().WithMany().HasForeignKey(t => t.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<TranscodeSettings>(settings =>
        {
            settings.HasKey(s => s.ApplicationId);
            settings.Property(s => s.ApplicationId).ValueGeneratedNever();
            settings.HasQueryFilter(s => SystemWide || s.ApplicationId == IsolatedApplicationId);
            settings.Property(s => s.Version).IsConcurrencyToken();
            settings.HasOne<Application>().WithOne().HasForeignKey<TranscodeSettings>(s => s.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ReviewSettings>(settings =>
        {
            settings.HasKey(s => s.ApplicationId);
            settings.Property(s => s.ApplicationId).ValueGeneratedNever();
            settings.HasQueryFilter(s => SystemWide || s.ApplicationId == IsolatedApplicationId);
            settings.Property(s => s.Mode).HasConversion<string>().HasMaxLength(16);
            settings.Property(s => s.Version).IsConcurrencyToken();
            settings.HasOne<Application>().WithOne().HasForeignKey<ReviewSettings>(s => s.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ConsoleInstance>(instance =>
        {
            instance.Property(i => i.Id).HasMaxLength(ConsoleInstance.IdMaxLength);
            instance.Property(i => i.Machine).HasMaxLength(ConsoleInstance.MachineMaxLength);
        });
        builder.Entity<PeriodLease>(lease =>
        {
            lease.HasKey(l => l.Kind);
            lease.Property(l => l.Kind).HasMaxLength(PeriodLease.KindMaxLength);
            lease.Property(l => l.Holder).HasMaxLength(ConsoleInstance.IdMaxLength);
        });

        builder.Entity<TranscodeJob>(job =>
        {
            job.HasQueryFilter(j => SystemWide || j.ApplicationId == IsolatedApplicationId);
            job.Property(j => j.TemplateName).HasMaxLength(TranscodeTemplate.NameMaxLength);
            job.Property(j => j.Format).HasConversion<string>().HasMaxLength(8);
            job.Property(j => j.Renditions).HasConversion(renditions, renditionsComparer);
            job.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.FailureReason).HasMaxLength(TranscodeJob.FailureReasonMaxLength);
            job.Property(j => j.LeaseOwner).HasMaxLength(ConsoleInstance.IdMaxLength).IsConcurrencyToken();
            // The runner's final save holds its lease: if the job was cancelled, retried or taken over meanwhile, it fails.
            job.Property(j => j.Attempt).IsConcurrencyToken();
            job.Property(j => j.OutputKey).HasMaxLength(64);
            job.Ignore(j => j.IsActive);
            // One job per media item and template: running it again replaces its output instead of adding another.
            job.HasIndex(j => new { j.MediaId, j.TemplateId }).IsUnique();
            // Runners look for the oldest queued job, or a running one whose lease ran out.
            job.HasIndex(j => new { j.State, j.Id });
            job.HasIndex(j => new { j.ApplicationId, j.TemplateId, j.State });
            job.HasOne<Application>().WithMany().HasForeignKey(j => j.ApplicationId).OnDelete(DeleteBehavior.Restrict);
            job.HasOne<MediaItem>().WithMany().HasForeignKey(j => j.MediaId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<MediaDerivative>(derivative =>
        {
            derivative.HasQueryFilter(d => SystemWide || d.ApplicationId == IsolatedApplicationId);
            derivative.Property(d => d.Rendition).HasMaxLength(MediaDerivative.RenditionMaxLength);
            derivative.Property(d => d.Kind).HasConversion<string>().HasMaxLength(16);
            derivative.Property(d => d.Path).HasMaxLength(MediaDerivative.PathMaxLength);
            derivative.HasIndex(d => new { d.MediaId, d.JobId });
            derivative.HasOne<Application>().WithMany().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Restrict);
            derivative.HasOne<TranscodeJob>().WithMany().HasForeignKey(d => d.JobId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        CheckWritesAllowed();
        CheckAuditAppendOnly();
        StampVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        CheckWritesAllowed();
        CheckAuditAppendOnly();
        StampVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void CheckWritesAllowed()
    {
        if (writesRefused is not null && ChangeTracker.HasChanges())
        {
            throw new Access.AccessDeniedException(writesRefused);
        }
    }

    /// <summary>The audit log only grows; the database refuses changes too (triggers), this says so earlier.</summary>
    private void CheckAuditAppendOnly()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("The audit log is append-only: entries cannot be changed or deleted.");
        }
    }

    /// <summary>The check behind the query filter: no write may touch another application's rows.</summary>
    private void CheckIsolation()
    {
        if (SystemWide)
        {
            return;
        }
        foreach (var entry in ChangeTracker.Entries<IApplicationOwned>())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }
            var original = entry.State == EntityState.Added
                ? entry.Entity.ApplicationId
                : (long)entry.Property(nameof(IApplicationOwned.ApplicationId)).OriginalValue!;
            if (IsolatedApplicationId is not { } isolated || entry.Entity.ApplicationId != isolated || original != isolated)
            {
                throw new IsolationViolationException(
                    $"A {entry.Entity.GetType().Name} of application {original} cannot be written by a context of application {IsolatedApplicationId?.ToString() ?? "(none)"}.");
            }
        }
    }

    private void StampVersions()
    {
        CheckIsolation();
        var now = DateTime.UtcNow;
        foreach (var entry in ChangeTracker.Entries<IVersioned>())
        {
            if (entry.State == EntityState.Added)
            {
                entry.Entity.ModifiedAt = now;
            }
            else if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version++;
                entry.Entity.ModifiedAt = now;
            }
        }
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}
