using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace AdIntel.Web.Pages.Settings;

/// <summary>The settings forms' problems by API field name, so a page shows them where the API would name them.</summary>
public static class FormProblems
{
    /// <summary>Model-binding errors keyed by field: <c>Input.KillSwitch</c> → <c>killSwitch</c> (text that is no number was not bound at all).</summary>
    public static Dictionary<string, string> FromBinding(ModelStateDictionary modelState) => modelState
        .Where(e => e.Value is { Errors.Count: > 0 })
        .ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key[(e.Key.LastIndexOf('.') + 1)..]), e => e.Value!.Errors[0].ErrorMessage);
}
