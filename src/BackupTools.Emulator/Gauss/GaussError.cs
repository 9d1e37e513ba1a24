using System;
using System.Text.Json.Nodes;

namespace BackupTools.Emulator.Gauss;

/// <summary>A Gauss error answer. Service errors are {"error_code":"DBS.x","error_msg"}; API gateway errors add request_id.</summary>
internal sealed class GaussError : Exception
{
    public GaussError(int httpStatus, string code, string message) : base(message)
    {
        HttpStatus = httpStatus;
        Code = code;
    }

    public int HttpStatus { get; }
    public string Code { get; }
    public bool IsGateway => Code.StartsWith("APIGW.", StringComparison.Ordinal);

    public JsonObject ToBody(string requestId)
    {
        var o = new JsonObject { ["error_code"] = Code, ["error_msg"] = Message };
        if (IsGateway) o["request_id"] = requestId;
        return o;
    }

    public static GaussError AkSkFail() => new(401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail");
    public static GaussError Param(string message) => new(400, "DBS.200001", message);
}

/// <summary>IAM answers errors in its own Keystone-like shape.</summary>
internal sealed class IamError : Exception
{
    public IamError(int httpStatus, string title, string message) : base(message)
    {
        HttpStatus = httpStatus;
        Title = title;
    }

    public int HttpStatus { get; }
    public string Title { get; }

    public JsonObject ToBody() => new() { ["error"] = new JsonObject { ["code"] = HttpStatus, ["message"] = Message, ["title"] = Title } };
}
