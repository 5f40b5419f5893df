using System.Text.Encodings.Web;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>
/// The few plain pages of the install flow (ask for the shop, explain a refusal), in the account pages' look. Built
/// here rather than as Razor pages because they answer endpoints that also redirect; every value is HTML-encoded.
/// </summary>
public static class ShopifyAppPage
{
    /// <summary>A refusal a merchant can act on: what happened and what to do.</summary>
    public static IResult Problem(int status, string title, string message) =>
        Html(status, title, $"""
            <h1>{Encode(title)}</h1>
            <div class="banner critical" role="alert" data-testid="shopify-install-error"><p>{Encode(message)}</p></div>
            <p class="muted account-links"><a href="{ShopifyAppPaths.Install}">Start the Shopify connection again</a> · <a href="/">Back to AdIntel</a></p>
            """);

    /// <summary>The install entry opened without a shop: ask for its myshopify address.</summary>
    public static IResult AskForShop(string? error, string? value) =>
        Html(error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, "Connect your Shopify store", $"""
            <h1>Connect your Shopify store</h1>
            {(error is null ? "" : $"""<div class="banner critical" role="alert" data-testid="shopify-install-error"><p>{Encode(error)}</p></div>""")}
            <form method="get" action="{ShopifyAppPaths.Install}" class="form-stack">
              <label>
                <span>Your store's Shopify address</span>
                <input name="shop" type="text" value="{Encode(value ?? "")}" placeholder="your-store.myshopify.com" autocomplete="off" autofocus required />
                <span class="field-hint">Shopify admin → Settings → Domains shows it (it ends in .myshopify.com).</span>
              </label>
              <input type="hidden" name="continue" value="page" />
              <button class="btn btn-primary" type="submit">Continue to Shopify</button>
            </form>
            """);

    /// <summary>
    /// The way on to Shopify's consent screen after the form above: browsers apply the page's CSP <c>form-action 'self'</c>
    /// to a form's redirects, so the form's answer is a page that navigates on (meta refresh, no script) instead of a 302.
    /// </summary>
    public static IResult ContinueTo(Uri target)
    {
        var url = Encode(target.ToString());
        return Html(StatusCodes.Status200OK, "Continuing to Shopify", $"""
            <h1>Continuing to Shopify…</h1>
            <p><a class="btn btn-primary" href="{url}" data-testid="continue-to-shopify">Continue to Shopify</a></p>
            """, head: $"""<meta http-equiv="refresh" content="0;url={url}" />""");
    }

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    private static IResult Html(int status, string title, string body, string head = "") => Results.Content($"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1.0" />
          <meta name="referrer" content="no-referrer" />
          <title>{Encode(title)} · AdIntel</title>
          <link rel="stylesheet" href="/lib/polaris-tokens/polaris-tokens.css" />
          <link rel="stylesheet" href="/css/site.css" />
          <link rel="stylesheet" href="/css/forms.css" />
          {head}
        </head>
        <body class="account-body">
          <main class="account-page" id="main">
            <a class="brand account-brand" href="/">AdIntel</a>
            <section class="card account-card">
        {body}
            </section>
          </main>
        </body>
        </html>
        """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
