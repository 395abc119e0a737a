using System.Globalization;

namespace VodConsole.Core.Network;

/// <summary>How a failed outbound request is explained to the operator, the same for pulls and callbacks.</summary>
public static class OutboundFailures
{
    /// <summary>The operator's explanation, or null for a failure this cannot name (the caller decides, or logs it).</summary>
    public static string? Describe(Exception failure)
    {
        if (Find<OutboundAddressRefusedException>(failure) is { } refused)
        {
            return refused.Message;
        }
        return failure switch
        {
            TaskCanceledException { InnerException: TimeoutException } =>
                $"The server did not answer within {OutboundHttp.ResponseTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} seconds.",
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "The server's host name could not be resolved.",
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "A secure (TLS) connection to the server could not be made.",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "The server could not be reached.",
            _ => null,
        };
    }

    /// <summary>True when the address policy refused every address of the target: the same request is refused again.</summary>
    public static bool IsRefusedByPolicy(Exception failure) => Find<OutboundAddressRefusedException>(failure) is not null;

    private static T? Find<T>(Exception? failure) where T : Exception
    {
        for (; failure is not null; failure = failure.InnerException)
        {
            if (failure is T found)
            {
                return found;
            }
        }
        return null;
    }
}
