using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media.Search;
using VodConsole.Core.Usage;

namespace VodConsole.Core.Setup;

/// <summary>
/// Brings the database to the current schema and makes sure the account and its primary application exist, under the
/// startup lock (<see cref="IStartupLock"/>): of instances starting together, the first does it and the others find it
/// done. A database migrated by a newer version is refused (<see cref="DatabaseSchemaException"/>).
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<VodDbContext> dbFactory,
    IStartupLock startupLock,
    ApplicationService applications,
    UsageRecorder usage,
    IMediaSearchIndex searchIndex,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger)
{
    public const string PrimaryApplicationName = "Primary application";

    /// <summary>Returns true when the database was empty and the account was created just now.</summary>
    public async Task<bool> InitializeAsync(CancellationToken ct = default)
    {
        await using var held = await startupLock.AcquireAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await MigrateLockedAsync(db, ct);

        if (await db.Accounts.AnyAsync(ct))
        {
            await RefreshNameKeysAsync(db, ct);
            return false;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.Accounts.Add(new Account { CreatedAt = now });
        var primary = new Application
        {
            Id = await applications.NewIdAsync(db, ct),
            Name = PrimaryApplicationName,
            NormalizedName = Application.Normalize(PrimaryApplicationName),
            Description = "The default application: owns everything created before sub-applications were enabled.",
            Kind = ApplicationKind.Primary,
            Status = ApplicationStatus.Enabled,
            CreatedAt = now,
        };
        db.Applications.Add(primary);
        await db.SaveChangesAsync(ct);
        await usage.StartApplicationAsync(primary.Id, ct);
        logger.LogInformation("Created the account and its primary application {ApplicationId}.", primary.Id);
        return true;
    }

    /// <summary>
    /// Only the schema (the <c>migrate</c> command): applies the migrations this version has and the database lacks, and
    /// returns their names.
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        await using var held = await startupLock.AcquireAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await MigrateLockedAsync(db, ct);
    }

    private async Task<IReadOnlyList<string>> MigrateLockedAsync(VodDbContext db, CancellationToken ct)
    {
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = (await db.Database.GetAppliedMigrationsAsync(ct)).Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            // Running on would write rows the newer schema may not accept, or read columns this version does not know.
            throw new DatabaseSchemaException(
                $"The database was migrated by a newer version of VodConsole (it has migration {string.Join(", ", unknown)}, "
                + $"which this version, at {known.Max(StringComparer.Ordinal)}, does not know). Start the newer version, "
                + "or restore the backup taken before the upgrade.");
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers carry on while one writer commits; the setting is stored in the database file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        if (await searchIndex.EnsureAsync(db, ct))
        {
            logger.LogInformation("Built the media search index from the media table (it was missing or in an older format).");
        }
        return pending;
    }

    /// <summary>
    /// Applications' name keys made by an earlier rule (upper case only) are made again by today's
    /// (<see cref="Application.Normalize"/>), so a look-alike of an existing name is refused. Two existing names that the
    /// rule now counts as one keep their keys, and the log says so: renaming one is the operator's choice.
    /// </summary>
    private async Task RefreshNameKeysAsync(VodDbContext db, CancellationToken ct)
    {
        var applications = await db.Applications.ToListAsync(ct);
        var taken = applications.Select(a => a.NormalizedName).ToHashSet(StringComparer.Ordinal);
        foreach (var application in applications)
        {
            var key = Application.Normalize(application.Name);
            if (key == application.NormalizedName)
            {
                continue;
            }
            if (taken.Add(key))
            {
                taken.Remove(application.NormalizedName);
                application.NormalizedName = key;
            }
            else
            {
                logger.LogWarning("The application names \"{Name}\" ({ApplicationId}) and another look alike; rename one of them.",
                    application.Name, application.Id);
            }
        }
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>The server must not start as it is configured; the message says why and what to do, in one line or two.</summary>
public class StartupRefusedException(string message) : Exception(message);

/// <summary>The database's schema does not fit this version of the console; the message says what to do.</summary>
public sealed class DatabaseSchemaException(string message) : StartupRefusedException(message);
