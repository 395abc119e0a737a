namespace VodConsole.Tests;

/// <summary>A clock the test sets, for rules that depend on the date (validity, settling finished days, "today").</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>Noon UTC of the given day.</summary>
    public TestClock(DateOnly today) : this(new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero))
    {
    }

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
