namespace VodConsole.Tests;

/// <summary>A clock the test sets, for rules that depend on the date (validity, settling finished days).</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
