namespace VodConsole.Bench;

internal static class UploadBench
{
    public static Task RunAsync() => throw new NotImplementedException();
}
