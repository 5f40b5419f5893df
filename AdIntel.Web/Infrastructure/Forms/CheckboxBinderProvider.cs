using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace AdIntel.Web.Infrastructure.Forms;

/// <summary>
/// Binds bool fields as usual, but when the posted text is no bool (<c>Input.KillSwitch=abc</c>) keeps only the error:
/// re-rendering the form, the checkbox tag helper would parse the posted text as a bool itself and throw (a 500 for a
/// typo). Without the raw value the checkbox shows the model's value and the field's message says what was wrong.
/// </summary>
public sealed class CheckboxBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        var type = context.Metadata.ModelType;
        return (Nullable.GetUnderlyingType(type) ?? type) == typeof(bool)
            ? new CheckboxBinder(new SimpleTypeModelBinder(type, context.Services.GetRequiredService<ILoggerFactory>()))
            : null;
    }

    private sealed class CheckboxBinder(IModelBinder inner) : IModelBinder
    {
        public async Task BindModelAsync(ModelBindingContext bindingContext)
        {
            await inner.BindModelAsync(bindingContext);
            if (bindingContext.ModelState.TryGetValue(bindingContext.ModelName, out var entry) && entry.Errors.Count > 0)
            {
                entry.RawValue = null;
            }
        }
    }
}
