using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace VodConsole.Tests.Api;

/// <summary>
/// No input answers 500: malformed bodies and query values thrown at every operation the running server maps (taken
/// from its endpoints, so a new one is covered at once) get a 4xx with a named code and a message in the API's terms.
/// </summary>
public sealed partial class ApiMalformedInputTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private readonly ApiServer server = fixture.Server;

    private static readonly string[] Bodies =
    [
        """{"Tags":[null]}""", """{"Tags":["news",null]}""", """{"Tags":"news"}""", """{"Tags":[1]}""", """{"Tags":[[]]}""",
        """{"MediaIds":[null]}""", """{"MediaIds":"1"}""", """{"MediaIds":["1"]}""", """{"MediaIds":[1.5]}""", """{"MediaIds":[true]}""",
        """{"MediaIds":[99999999999999999999]}""", """{"MediaIds":{}}""", """{"MediaIds":[-1,0]}""",
        """{"Urls":[null]}""", """{"Urls":[5]}""", """{"Urls":"http://example.com/a.mp4"}""", """{"EventIds":[null]}""", """{"EventIds":[-1]}""",
        """{"Title":5}""", """{"Title":null,"Description":[]}""", """{"Title":"\ud800"}""", """{"Title":"a\u0000b"}""",
        """{"CategoryId":"x"}""", """{"CategoryId":-1}""", """{"Version":1e400}""", """{"Version":-1}""", """{"DestinationSubAppId":true}""",
        """{"MediaIds":[1],"DestinationSubAppId":-5}""", """{"FileName":{}}""", """{"FileName":""}""", """{"FileName":null}""",
        "", "null", "[]", "\"text\"", "42", "{", """{"Title":""", "not json", """{"Title":"a"}{"Title":"b"}""",
        new string('[', 300) + new string(']', 300), """{"a":""" + new string('[', 100) + new string(']', 100) + "}",
    ];

    private static readonly string[] Queries =
    [
        "Limit=abc", "Limit=0", "Limit=101", "Limit=-5", "Max=0", "Max=-5", "Max=101", "Max=abc", "Max=1e3",
        "Status=7", "Status=%00", "Sort=1", "CategoryId=-1", "CategoryId=abc", "Text=%00", "Tag=%E2%80%AE",
        "ContinuationToken=%25", "ContinuationToken=eyJ9", "Metric=1", "From=2026-13-45", "To=x", "From=&To=",
    ];

    [Fact]
    public async Task Malformed_bodies_and_parameters_never_answer_500_at_any_operation()
    {
        var app = await server.CreateApplicationAsync("Malformed");
        using var http = server.Client(await server.CreateKeyAsync(null));
        var uploadId = (await (await http.PostAsync($"/api/v1/uploads?SubAppId={app.Id}", ApiResponses.Json(new { FileName = "wait.mp4" }))).JsonAsync())
            .GetProperty("UploadId").GetString()!;
        var operations = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(method => (Method: method, Pattern: e.RoutePattern.RawText!)))
            .ToList();
        Assert.NotEmpty(operations);

        var wrong = new List<string>();
        foreach (var (method, pattern) in operations)
        {
            var requests = Bodies.Select(body => (Query: "", Body: (byte[]?)Encoding.UTF8.GetBytes(body)))
                .Append(("", [0xFF, 0xFE, 0x7B, 0xC3]))
                .Concat(Queries.Select(query => ("&" + query, (byte[]?)null)));
            foreach (var (query, body) in requests)
            {
                // A fresh item each time: DELETE and the valid-looking bodies may use one up.
                var mediaId = (await server.AddMediaAsync(app.Id, "Target")).Id;
                var path = pattern.Replace("{mediaId:long}", mediaId.ToString()).Replace("{uploadId}", uploadId)
                    .Replace("{subAppId:long}", app.Id.ToString()) + $"?SubAppId={app.Id}" + query;
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } };
                }
                using var response = await http.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                var code = await response.ErrorCodeAsync();
                if ((int)response.StatusCode >= 500
                    || ((int)response.StatusCode >= 400 && (code == "InvalidParameter" || code.StartsWith("(no error code", StringComparison.Ordinal) || InternalName().IsMatch(answer))))
                {
                    wrong.Add($"{method} {path} with {(body is null ? "no body" : Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 40)])}: {(int)response.StatusCode} {answer}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("PATCH", "media/{id}", """{"Tags":[null]}""", "InvalidParameter.Tags", "Tags cannot contain null")]
    [InlineData("PATCH", "media/{id}", """{"Title":5}""", "InvalidParameter.Title", "Title must be a string")]
    [InlineData("PATCH", "media/{id}", """{"CategoryId":"x"}""", "InvalidParameter.CategoryId", "CategoryId must be a whole number")]
    [InlineData("POST", "media/batch-get", """{"MediaIds":[true]}""", "InvalidParameter.MediaIds", "MediaIds must be an array of whole numbers")]
    [InlineData("POST", "media/batch-get", "not json", "InvalidParameter.Body", "The body must be one JSON object")]
    [InlineData("POST", "media/batch-get", "", "InvalidParameter.Body", "as a JSON object in the body")]
    [InlineData("POST", "pulls", """{"Urls":[null]}""", "InvalidParameter.Urls", "Urls cannot contain null")]
    [InlineData("POST", "callbacks/events/ack", """{"EventIds":"7"}""", "InvalidParameter.EventIds", "EventIds must be an array of whole numbers")]
    [InlineData("GET", "callbacks/events?Max=0", null, "InvalidParameter.Max", "Max must be a whole number from 1 to 100")]
    [InlineData("GET", "callbacks/events?Max=101", null, "InvalidParameter.Max", "Max must be a whole number from 1 to 100")]
    [InlineData("GET", "callbacks/events?Max=-5", null, "InvalidParameter.Max", "Max must be a whole number")]
    public async Task A_value_that_cannot_be_read_is_named_with_a_message_in_the_apis_terms(
        string method, string path, string? body, string code, string message)
    {
        var app = await server.CreateApplicationAsync("Named");
        var media = await server.AddMediaAsync(app.Id, "Item");
        using var http = server.Client(await server.CreateKeyAsync(app.Id));
        var url = "/api/v1/" + path.Replace("{id}", media.Id.ToString());
        using var request = new HttpRequestMessage(new HttpMethod(method), url + (url.Contains('?') ? "&" : "?") + $"SubAppId={app.Id}");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);

        Assert.Equal((HttpStatusCode.BadRequest, code), (response.StatusCode, await response.ErrorCodeAsync()));
        Assert.Contains(message, (await response.JsonAsync()).GetProperty("Error").GetProperty("Message").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415_and_its_own_code()
    {
        var app = await server.CreateApplicationAsync("Text");
        using var http = server.Client(await server.CreateKeyAsync(app.Id));

        using var response = await http.PostAsync($"/api/v1/media/batch-get?SubAppId={app.Id}", new StringContent("MediaIds=1", Encoding.UTF8, "text/plain"));

        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "FailedOperation.UnsupportedContentType"), (response.StatusCode, await response.ErrorCodeAsync()));
    }

    /// <summary>What a message must never show: C# types and parameter declarations ("Nullable&lt;int&gt; max", "ApiMediaIds request").</summary>
    [GeneratedRegex(@"Nullable|System\.|IReadOnlyList|`1|Api[A-Z]\w+ request|\bInt(32|64)\b|\bString\b|Exception")]
    private static partial Regex InternalName();
}
