using AdIntel.Web.Infrastructure.Options;

namespace AdIntel.Web.Infrastructure.Email;

public static class EmailServiceCollectionExtensions
{
    public static WebApplicationBuilder AddAdIntelEmail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        return builder;
    }
}
