using VodConsole.Core.Review;

namespace VodConsole.Web.Review;

/// <summary>How the console names review states and modes.</summary>
public static class ReviewLabels
{
    public static string Of(ReviewState state) => state switch
    {
        ReviewState.Awaiting => "Awaiting review",
        ReviewState.Blocked => "Blocked",
        _ => "Approved",
    };

    public static string Of(ReviewMode mode) => mode == ReviewMode.Manual ? "Manual" : "Off";
}
