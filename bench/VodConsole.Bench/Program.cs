namespace VodConsole.Bench;

// dotnet run -c Release --project bench/VodConsole.Bench [-- overview | media [--explain] [--fresh] [--rows N] [--postgres CONNECTION] | upload | transcode [runs [clip seconds]]
//     | stock [--rows N] [--raw-days D] [--fresh] [--postgres CONNECTION] | playback [--seconds S] [--rounds R] | roleswitch [--switches N] [--media-1m]
//     | circuits [--levels 10,50,...] [--rate R] [--seconds S] [--no-stock]]
// A named entry point, not top-level statements: "Program" is the console's (WebApplicationFactory<Program>).
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var mode = args.FirstOrDefault() ?? "overview";
        var options = args.Skip(1).ToList();
        bool Flag(string name) => options.Contains(name, StringComparer.OrdinalIgnoreCase);
        int Number(string name, int fallback)
        {
            var at = options.FindIndex(o => o.Equals(name, StringComparison.OrdinalIgnoreCase));
            return at >= 0 && at + 1 < options.Count && int.TryParse(options[at + 1], out var value) && value > 0 ? value : fallback;
        }
        string? Text(string name)
        {
            var at = options.FindIndex(o => o.Equals(name, StringComparison.OrdinalIgnoreCase));
            return at >= 0 && at + 1 < options.Count ? options[at + 1] : null;
        }
        switch (mode)
        {
            case "overview":
                await OverviewBench.RunAsync();
                break;
            case "media":
                await MediaBench.RunAsync(explain: Flag("--explain"), fresh: Flag("--fresh"), Number("--rows", MediaBench.Rows), Text("--postgres"));
                break;
            case "upload":
                await UploadBench.RunAsync();
                break;
            case "transcode":
                var numbers = options.Select(a => int.TryParse(a, out var n) ? n : 0).Where(n => n > 0).ToList();
                await TranscodeBench.RunAsync(runs: numbers.Count > 0 ? numbers[0] : 3, seconds: numbers.Count > 1 ? numbers[1] : 60);
                break;
            case "stock":
                await StockBench.RunAsync(Number("--rows", MediaBench.Rows), Number("--raw-days", 1), Flag("--fresh"), Text("--postgres"));
                break;
            case "playback":
                await PlaybackBench.RunAsync(Number("--seconds", 10), Number("--rounds", 3));
                break;
            case "roleswitch":
                await RoleSwitchBench.RunAsync(Number("--switches", 40), Flag("--media-1m"));
                break;
            case "circuits":
                List<int> levels = Text("--levels")?.Split(',').Select(int.Parse).ToList() ?? [10, 50];
                await CircuitsBench.RunAsync(levels, Number("--rate", 5), Number("--seconds", 20), stock: !Flag("--no-stock"));
                break;
            default:
                Console.Error.WriteLine($"Unknown benchmark '{mode}'. Use: overview (default), media [--explain] [--fresh] [--rows N] [--postgres CONNECTION], upload, "
                    + "stock [--rows N] [--raw-days D] [--fresh] [--postgres CONNECTION], playback [--seconds S] [--rounds R], roleswitch [--switches N] [--media-1m], "
                    + "circuits [--levels 10,50,...] [--rate R] [--seconds S] [--no-stock].");
                return 2;
        }
        return 0;
    }
}
