using VodConsole.Bench;

// dotnet run -c Release --project bench/VodConsole.Bench [-- overview | media [--explain] [--fresh] | upload | transcode [runs]]
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
        await TranscodeBench.RunAsync(runs: args.Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0, 3));
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{mode}'. Use: overview (default), media [--explain] [--fresh], upload, transcode [runs].");
        return 2;
}
return 0;
