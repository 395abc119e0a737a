using Microsoft.AspNetCore.Http.Metadata;

namespace VodConsole.Web.Media;

/// <summary>Lets Kestrel accept a body up to the configured upload limit on the endpoint that carries it, and only there.</summary>
internal sealed record UploadSizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
