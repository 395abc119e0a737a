using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VodConsole.Web.Components.Layout;

namespace VodConsole.Tests.Components;

public sealed class PageErrorBoundaryTests() : MudTestContext(services => services.AddLogging().AddSingleton<ILoggerProvider>(Log))
{
    private static readonly RecordingLoggerProvider Log = new();

    /// <summary>A page with a button whose handler fails, as a bug would.</summary>
    private sealed class FailingPage : ComponentBase
    {
        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "onclick", EventCallback.Factory.Create<MouseEventArgs>(this, () => throw new InvalidOperationException("boom")));
            builder.AddContent(2, "Break");
            builder.CloseElement();
        }
    }

    [Fact]
    public async Task A_failing_page_shows_a_friendly_message_logs_the_error_and_can_try_again()
    {
        var boundary = Render<PageErrorBoundary>(p => p.AddChildContent<FailingPage>());

        await boundary.FindAndClickAsync("button");

        var error = boundary.Find("[data-testid='page-error']");
        Assert.Contains("Something went wrong on this page", error.TextContent);
        Assert.DoesNotContain("unhandled", boundary.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Log.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "boom");

        await boundary.FindAndClickAsync("[data-testid='page-error-retry']");
        Assert.Equal("Break", boundary.Find("button").TextContent);
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public List<(LogLevel Level, Exception? Exception)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Recorder(Entries);

        public void Dispose() { }

        private sealed class Recorder(List<(LogLevel, Exception?)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (entries)
                {
                    entries.Add((logLevel, exception));
                }
            }
        }
    }
}
