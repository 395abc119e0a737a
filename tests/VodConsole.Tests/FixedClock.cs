namespace VodConsole.Tests;

/// <summary>A clock that always reads the same instant, for rules that depend on "today".</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public FixedClock(DateOnly today) : this(new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => now;
}
