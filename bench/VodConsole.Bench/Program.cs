using VodConsole.Bench;

// dotnet run -c Release --project bench/VodConsole.Bench [-- overview | media [--explain] [--fresh] | upload | transcode [runs [clip seconds]]]
var mode = args.FirstOrDefault() ?? "overview";
var options = args.Skip(1).ToHashSet(StringComparer.OrdinalIgnoreCase);
switch (mode)
{
    case "overview":
        await OverviewBench.RunAsync();
        break;
    case "media":
        await MediaBench.RunAsync(explain: options.Contains("--explain"), fresh: options.Contains("--fresh"));
        break;
    case "upload":
        await UploadBench.RunAsync();
        break;
    case "transcode":
        var numbers = args.Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).Where(n => n > 0).ToList();
        await TranscodeBench.RunAsync(runs: numbers.Count > 0 ? numbers[0] : 3, seconds: numbers.Count > 1 ? numbers[1] : 60);
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{mode}'. Use: overview (default), media [--explain] [--fresh], upload, transcode [runs [clip seconds]].");
        return 2;
}
return 0;
