using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VodConsole.Core.Packages;
using VodConsole.Web.Packages;

namespace VodConsole.Tests.Packages;

public sealed class PackageSettlementWorkerTests
{
    [Fact]
    public async Task At_start_up_the_worker_settles_every_day_through_yesterday()
    {
        var today = new DateOnly(2026, 4, 15);
        var clock = new TestClock(new DateTimeOffset(today.ToDateTime(new TimeOnly(0, 30)), TimeSpan.Zero));
        await using var console = await TestConsole.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        await console.Get<PackageLedger>().RegisterAsync(PackageType.Traffic, 1000, today.AddDays(-3), today.AddDays(30));
        using var worker = new PackageSettlementWorker(console.Get<IServiceScopeFactory>(), clock, NullLogger<PackageSettlementWorker>.Instance);

        await worker.StartAsync(TestContext.Current.CancellationToken);
        var settledDays = await WaitForSettledDaysAsync(console, expected: 3);
        await worker.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal([today.AddDays(-3), today.AddDays(-2), today.AddDays(-1)], settledDays);
    }

    /// <summary>The worker runs in the background: poll the database until it has settled the days, or give up.</summary>
    private static async Task<List<DateOnly>> WaitForSettledDaysAsync(TestConsole console, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var db = await console.OpenDbAsync();
            var days = await db.PackageSettlements.Select(s => s.Day).Distinct().OrderBy(d => d).ToListAsync();
            if (days.Count >= expected || DateTime.UtcNow > deadline)
            {
                return days;
            }
            await Task.Delay(50);
        }
    }
}
