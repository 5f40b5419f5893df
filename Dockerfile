# AdIntel: multi-stage image (see docs/deploy.md). Build: docker build -t adintel .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, so a code change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props AdIntel.sln ./
COPY AdIntel.Web/AdIntel.Web.csproj AdIntel.Web/AppRuntime.props AdIntel.Web/
COPY AdIntel.Plugins.Abstractions/AdIntel.Plugins.Abstractions.csproj AdIntel.Plugins.Abstractions/
COPY plugins/Directory.Build.props plugins/
COPY plugins/AdIntel.Plugins.CreativeFatigue/AdIntel.Plugins.CreativeFatigue.csproj plugins/AdIntel.Plugins.CreativeFatigue/
COPY plugins/AdIntel.Plugins.LearningPhaseGuard/AdIntel.Plugins.LearningPhaseGuard.csproj plugins/AdIntel.Plugins.LearningPhaseGuard/
RUN dotnet restore AdIntel.Web/AdIntel.Web.csproj
COPY appsettings.json ./
COPY AdIntel.Web/ AdIntel.Web/
COPY AdIntel.Plugins.Abstractions/ AdIntel.Plugins.Abstractions/
COPY plugins/ plugins/
# Publishing the app also builds the bundled rule plugins into artifacts/plugins/ (they are loaded at run time).
RUN dotnet publish AdIntel.Web/AdIntel.Web.csproj -c Release -o /app --no-restore -p:UseAppHost=false \
    && cp -r artifacts/plugins /app/plugins

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The base image's unprivileged user (uid 1654); it owns only the data folder (SQLite file, logs).
RUN mkdir -p /app/data && chown app:app /app/data
USER app
# Urls, not ASPNETCORE_URLS: the repository's appsettings.json sets Urls, and only a source above it overrides it.
# MALLOC_ARENA_MAX: the app caps glibc's arenas itself (Infrastructure/Memory), but only from Main on; this covers the
# runtime's own threads started before it.
ENV Urls=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Logging__Directory=/app/data/logs \
    MALLOC_ARENA_MAX=2
EXPOSE 8080
# Ready = the database answers and migrations are applied. The image has no curl: bash speaks HTTP/1.0 itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /api/health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "AdIntel.Web.dll"]
