#!/usr/bin/env bash
# Adds a migration for both providers: scripts/add-migration.sh <Name>
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh <MigrationName>}
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --project AdIntel.Web --context SqliteAdIntelDbContext --output-dir Infrastructure/Data/Migrations/Sqlite
dotnet ef migrations add "$name" --project AdIntel.Web --context PostgresAdIntelDbContext --output-dir Infrastructure/Data/Migrations/Postgres
