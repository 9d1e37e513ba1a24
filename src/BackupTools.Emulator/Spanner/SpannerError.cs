using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace BackupTools.Emulator.Spanner;

/// <summary>A google.rpc.Status to answer with; thrown by the rules so each rule lives in one place.</summary>
internal sealed class SpannerError : Exception
{
    private static readonly Dictionary<string, (int Code, int Http)> Codes = new()
    {
        ["CANCELLED"] = (1, 499), ["UNKNOWN"] = (2, 500), ["INVALID_ARGUMENT"] = (3, 400), ["DEADLINE_EXCEEDED"] = (4, 504),
        ["NOT_FOUND"] = (5, 404), ["ALREADY_EXISTS"] = (6, 409), ["PERMISSION_DENIED"] = (7, 403), ["RESOURCE_EXHAUSTED"] = (8, 429),
        ["FAILED_PRECONDITION"] = (9, 400), ["ABORTED"] = (10, 409), ["OUT_OF_RANGE"] = (11, 400), ["UNIMPLEMENTED"] = (12, 501),
        ["INTERNAL"] = (13, 500), ["UNAVAILABLE"] = (14, 503), ["DATA_LOSS"] = (15, 500), ["UNAUTHENTICATED"] = (16, 401),
    };

    public SpannerError(string status, string message, params JsonObject[] details) : base(message)
    {
        if (!Codes.ContainsKey(status)) throw new ArgumentException("Unknown rpc status " + status, nameof(status));
        Status = status;
        Details = details;
    }

    public string Status { get; }
    public JsonObject[] Details { get; }
    public int HttpStatus => Codes[Status].Http;
    public int RpcCode => Codes[Status].Code;

    public static int RpcCodeOf(string status) => Codes[status].Code;

    /// <summary>The REST error body: {"error":{"code":http,"message","status","details"}}.</summary>
    public JsonObject ToBody()
    {
        var error = new JsonObject { ["code"] = HttpStatus, ["message"] = Message, ["status"] = Status };
        if (Details.Length > 0)
        {
            var arr = new JsonArray();
            foreach (var d in Details) arr.Add(d.DeepClone());
            error["details"] = arr;
        }
        return new JsonObject { ["error"] = error };
    }

    /// <summary>The google.rpc.Status inside a finished Operation: code is the rpc code number.</summary>
    public JsonObject ToStatus() => new() { ["code"] = RpcCode, ["message"] = Message };

    public static JsonObject ResourceInfo(string resourceType, string resourceName, string description) => new()
    {
        ["@type"] = "type.googleapis.com/google.rpc.ResourceInfo",
        ["resourceType"] = resourceType,
        ["resourceName"] = resourceName,
        ["description"] = description,
    };

    public static JsonObject RetryInfo(TimeSpan delay) => new()
    {
        ["@type"] = "type.googleapis.com/google.rpc.RetryInfo",
        ["retryDelay"] = ((long)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) + "s",
    };

    public static JsonObject BadRequest(string field, string description) => new()
    {
        ["@type"] = "type.googleapis.com/google.rpc.BadRequest",
        ["fieldViolations"] = new JsonArray(new JsonObject { ["field"] = field, ["description"] = description }),
    };
}
