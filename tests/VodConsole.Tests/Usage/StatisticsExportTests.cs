using VodConsole.Core.Common;
using VodConsole.Core.Applications;
using VodConsole.Core.Usage;

namespace VodConsole.Tests.Usage;

public sealed class StatisticsExportTests
{
    private static readonly DateOnly Day1 = new(2026, 3, 1);
    private static readonly TestClock Clock = new(new DateOnly(2026, 3, 15));

    private static StatisticsQuery Traffic(int days) =>
        new(UsageMetric.TrafficBytes, StatisticsRange.Create(Day1, Day1.AddDays(days - 1), Clock));

    [Fact]
    public async Task The_csv_has_a_header_and_one_row_per_day_and_application_in_base_units()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var a = await console.Get<ApplicationService>().CreateSubApplicationAsync("Alpha", null);
        var b = await console.Get<ApplicationService>().CreateSubApplicationAsync("Beta", null);
        var recorder = console.Get<UsageRecorder>();
        await recorder.AddAsync(a.Id, UsageMetric.TrafficBytes, 5_000_000_000, Day1);
        await recorder.AddAsync(a.Id, UsageMetric.TrafficBytes, 7, Day1.AddDays(2));
        await recorder.AddAsync(b.Id, UsageMetric.TrafficBytes, 300, Day1.AddDays(1));

        var csv = StatisticsCsv.Write(await console.Get<StatisticsService>().LoadAsync(Traffic(3), null));

        var recorded = new Dictionary<(long, int), long> { [(a.Id, 1)] = 5_000_000_000, [(a.Id, 3)] = 7, [(b.Id, 2)] = 300 };
        var expected = new List<string> { "date,application_id,application_name,metric,value,source" };
        for (var day = 1; day <= 3; day++)
        {
            foreach (var app in new[] { a, b }.OrderBy(x => x.Id))
            {
                expected.Add($"2026-03-0{day},{app.Id},\"{app.Name}\",TrafficBytes,{recorded.GetValueOrDefault((app.Id, day))},recorded");
            }
        }
        Assert.Equal(expected, csv.TrimEnd('\r', '\n').Split("\r\n"));
    }

    [Fact]
    public async Task An_application_scoped_export_contains_no_row_of_another_application()
    {
        await using var console = await TestConsole.StartAsync();
        await console.EnableSubApplicationsAsync();
        var mine = await console.Get<ApplicationService>().CreateSubApplicationAsync("Mine", null);
        var other = await console.Get<ApplicationService>().CreateSubApplicationAsync("Other", null);
        var recorder = console.Get<UsageRecorder>();
        await recorder.AddAsync(mine.Id, UsageMetric.TrafficBytes, 10, Day1);
        await recorder.AddAsync(other.Id, UsageMetric.TrafficBytes, 999, Day1);

        var statistics = await console.Get<StatisticsService>().LoadAsync(Traffic(2), mine.Id);
        var rows = StatisticsCsv.Write(statistics).TrimEnd('\r', '\n').Split("\r\n").Skip(1).ToList();

        Assert.Equal([$"2026-03-01,{mine.Id},\"Mine\",TrafficBytes,10,recorded", $"2026-03-02,{mine.Id},\"Mine\",TrafficBytes,0,recorded"], rows);
        Assert.DoesNotContain(rows, r => r.Contains(other.Id.ToString()) || r.Contains("Other"));
    }

    [Theory]
    [InlineData("Sales, EU", "\"Sales, EU\"")]
    [InlineData("The \"A\" team", "\"The \"\"A\"\" team\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-2", "\"'-2\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("Plain", "\"Plain\"")]
    public void Application_names_are_quoted_and_never_start_a_formula(string name, string field)
    {
        Assert.Equal(field, CsvField.Text(name));
    }

    [Fact]
    public void A_name_with_a_comma_and_quotes_stays_one_field_of_its_row()
    {
        var query = Traffic(1);
        var statistics = new UsageStatistics(query, [new ApplicationUsage(42, "=Sales, \"EU\"", [9], 9)]);

        var row = StatisticsCsv.Write(statistics).Split("\r\n")[1];

        Assert.Equal("2026-03-01,42,\"'=Sales, \"\"EU\"\"\",TrafficBytes,9,recorded", row);
    }

    [Fact]
    public void Many_applications_stack_as_the_largest_ones_and_others()
    {
        var query = Traffic(2);
        var applications = Enumerable.Range(1, 10).Select(i => new ApplicationUsage(i, $"App {i}", [i, 1], i + 1));
        var statistics = new UsageStatistics(query, applications);

        var series = statistics.ChartSeries(4);

        Assert.Equal(["App 10", "App 9", "App 8", "Others"], series.Select(s => s.Name));
        Assert.Equal([1L + 2 + 3 + 4 + 5 + 6 + 7, 7L], series[^1].Daily);
    }

    [Theory]
    [InlineData(UsageMetric.Plays, 6L, "Total")]
    [InlineData(UsageMetric.PeakBandwidthBps, 3L, "Highest")]
    [InlineData(UsageMetric.StorageBytes, 2L, "Last level")]
    public void The_summary_is_the_total_the_highest_or_the_last_level(UsageMetric metric, long summary, string label)
    {
        var query = new StatisticsQuery(metric, StatisticsRange.Create(Day1, Day1.AddDays(2), Clock));
        var points = new[] { new UsagePoint(Day1, 7, 1), new UsagePoint(Day1.AddDays(1), 7, 3), new UsagePoint(Day1.AddDays(2), 7, 2) };

        var statistics = UsageStatistics.From(query, points, new Dictionary<long, string> { [7] = "Seven" });

        Assert.Equal(summary, statistics.Applications.Single().Summary);
        Assert.Equal(label, statistics.SummaryLabel);
    }
}
