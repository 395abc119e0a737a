using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Access;
using VodConsole.Core.Accounts;
using VodConsole.Core.Applications;
using VodConsole.Core.Data;
using VodConsole.Core.Media;
using VodConsole.Core.Packages;
using VodConsole.Core.Playback;

namespace VodConsole.Tests.Access;

/// <summary>The services refuse changes the user may not make, whatever the pages show, checking the database each time.</summary>
public sealed class AccessEnforcementTests : IAsyncDisposable
{
    private TestConsole console = null!;
    private long app;
    private long other;
    private long mediaId;

    public async ValueTask DisposeAsync() => await console.DisposeAsync();

    private async Task StartAsync()
    {
        console = await TestConsole.StartAsync(s => s.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider()));
        await console.EnableSubApplicationsAsync();
        app = (await console.Get<ApplicationService>().CreateSubApplicationAsync("App A", null)).Id;
        other = (await console.Get<ApplicationService>().CreateSubApplicationAsync("App B", null)).Id;
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        var item = new MediaItem
        {
            ApplicationId = app, Title = "Clip", Status = MediaStatus.Normal,
            StorageKey = $"{app}/{Guid.NewGuid():N}", CreatedAt = DateTime.UtcNow,
        };
        db.Media.Add(item);
        await db.SaveChangesAsync();
        mediaId = item.Id;
    }

    private async Task<string> UserWithAsync(params (long Application, ApplicationAccess Access)[] grants)
    {
        var userId = await console.AddUserAsync($"user-{Guid.NewGuid():N}@vod.test");
        await using var db = await console.OpenDbAsync();
        db.ApplicationGrants.AddRange(grants.Select(g => new ApplicationGrant { UserId = userId, ApplicationId = g.Application, Access = g.Access }));
        await db.SaveChangesAsync();
        return userId;
    }

    private async Task<bool> MediaExistsAsync()
    {
        await using var db = await console.Get<ApplicationData>().OpenForAsync(app);
        return await db.Media.AnyAsync(m => m.Id == mediaId);
    }

    [Fact]
    public async Task A_read_only_user_can_read_but_every_change_in_the_application_is_refused()
    {
        await StartAsync();
        var scope = await console.AsUserAsync(await UserWithAsync((app, ApplicationAccess.ReadOnly)), app);
        var library = scope.GetRequiredService<MediaLibrary>();

        Assert.NotNull(await library.FindAsync(mediaId));
        var refusals = new List<Func<Task>>
        {
            () => library.DeleteAsync(mediaId),
            () => library.SetCategoryAsync([mediaId], null),
            () => scope.GetRequiredService<MediaEditor>().UpdateDetailsAsync(mediaId, new("New", null, null, null), 0),
            () => scope.GetRequiredService<MediaCategories>().CreateAsync("Trailers"),
            () => scope.GetRequiredService<PlaybackSettingsService>().SaveAsync(false, null),
            () => scope.GetRequiredService<MediaPullService>().SubmitAsync("https://example.com/a.mp4"),
        };
        foreach (var change in refusals)
        {
            var refused = await Assert.ThrowsAsync<AccessDeniedException>(change);
            Assert.Equal(AccessPolicy.ReadOnlyMessage, refused.Message);
        }

        Assert.True(await MediaExistsAsync());
        await using var db = await console.OpenDbAsync();
        Assert.False(await db.MediaCategories.IgnoreQueryFilters().AnyAsync());
        Assert.False(await db.MediaPulls.IgnoreQueryFilters().AnyAsync());
    }

    [Fact]
    public async Task The_playback_signing_key_is_shown_to_full_access_users_only()
    {
        await StartAsync();
        await (await console.InApplicationAsync(app)).GetRequiredService<PlaybackSettingsService>().SaveAsync(true, "Secret2024key");
        var readerScope = await console.AsUserAsync(await UserWithAsync((app, ApplicationAccess.ReadOnly)), app);
        var fullScope = await console.AsUserAsync(await UserWithAsync((app, ApplicationAccess.Full)), app);

        var seenByReader = await readerScope.GetRequiredService<PlaybackSettingsService>().GetAsync();
        Assert.Equal(new PlaybackSecurity(true, null, KeyHidden: true), seenByReader);
        await Assert.ThrowsAsync<AccessDeniedException>(() => readerScope.GetRequiredService<PlaybackSettingsService>().GetForAsync(app));
        Assert.Equal("Secret2024key", (await fullScope.GetRequiredService<PlaybackSettingsService>().GetAsync()).SigningKey);
        // Links still work for readers: they sign with the key without seeing it.
        var link = await readerScope.GetRequiredService<PlaybackSettingsService>().LinkAsync("http://x", mediaId, 5);
        Assert.Contains("sign=", link);
    }

    [Fact]
    public async Task A_user_with_full_access_changes_the_application()
    {
        await StartAsync();
        var scope = await console.AsUserAsync(await UserWithAsync((app, ApplicationAccess.Full)), app);

        await scope.GetRequiredService<MediaCategories>().CreateAsync("Trailers");
        await scope.GetRequiredService<MediaLibrary>().DeleteAsync(mediaId);

        Assert.False(await MediaExistsAsync());
    }

    [Fact]
    public async Task Revoking_a_grant_refuses_the_next_change_of_a_scope_already_open()
    {
        await StartAsync();
        var userId = await UserWithAsync((app, ApplicationAccess.Full));
        var scope = await console.AsUserAsync(userId, app);
        var categories = scope.GetRequiredService<MediaCategories>();
        await categories.CreateAsync("Before");

        await using (var db = await console.OpenDbAsync())
        {
            await db.ApplicationGrants.Where(g => g.UserId == userId).ExecuteDeleteAsync();
        }

        await Assert.ThrowsAsync<AccessDeniedException>(() => categories.CreateAsync("After"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.GetRequiredService<MediaLibrary>().DeleteAsync(mediaId));
        Assert.True(await MediaExistsAsync());
    }

    [Fact]
    public async Task A_locked_user_changes_nothing_more_in_a_scope_already_open()
    {
        await StartAsync();
        var userId = await UserWithAsync((app, ApplicationAccess.Full));
        var scope = await console.AsUserAsync(userId, app);
        await using (var db = await console.OpenDbAsync())
        {
            await db.Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddHours(1)));
        }

        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.GetRequiredService<MediaLibrary>().DeleteAsync(mediaId));
        Assert.True(await MediaExistsAsync());
    }

    [Fact]
    public async Task Media_moves_only_to_applications_the_user_may_change()
    {
        await StartAsync();
        var scope = await console.AsUserAsync(await UserWithAsync((app, ApplicationAccess.Full), (other, ApplicationAccess.ReadOnly)), app);
        var mover = scope.GetRequiredService<MediaMover>();

        Assert.Empty(mover.Destinations());
        await Assert.ThrowsAnyAsync<Exception>(() => mover.MoveAsync([mediaId], other));
        Assert.True(await MediaExistsAsync());
    }

    [Fact]
    public async Task A_user_who_is_not_an_administrator_cannot_change_the_account()
    {
        await StartAsync();
        var scope = await console.AsUserAsync(await UserWithAsync((app, ApplicationAccess.Full)), app);

        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.GetRequiredService<ApplicationService>().CreateSubApplicationAsync("Sneaky", null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.GetRequiredService<ApplicationService>().SetStatusAsync(other, ApplicationStatus.Disabled, 0));
        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.GetRequiredService<AccountService>().SetBillingModeAsync(BillingMode.Monthly));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.GetRequiredService<PackageLedger>().RegisterAsync(PackageType.Traffic, 1, today, today.AddDays(30)));

        Assert.Equal(3, (await console.Get<ApplicationService>().ListAsync()).Count);
    }
}
