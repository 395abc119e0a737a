using VodConsole.Core.Access;

namespace VodConsole.Web.Setup;

/// <summary>
/// For the console's own HTTP endpoints (CSV exports, covers): a refusal from a service below answers 404 like every
/// other refusal there ("never shown, never hinted"), instead of escaping as a 500. It happens when access changed
/// between the role's resolution and the service's own check, or for a user locked out meanwhile.
/// </summary>
internal sealed class RefusedAsNotFound : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (AccessDeniedException) when (!context.HttpContext.Response.HasStarted)
        {
            return Results.NotFound();
        }
    }
}

internal static class RefusedAsNotFoundExtensions
{
    public static RouteHandlerBuilder RefusalsAnswerNotFound(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter<RefusedAsNotFound>();
}
