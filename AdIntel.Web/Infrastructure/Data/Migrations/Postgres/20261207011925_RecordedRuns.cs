using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RecordedRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SyncRuns_ConnectionId",
                table: "SyncRuns");

            // The run names its sync (shopify, meta, …), no longer only the connection's provider.
            migrationBuilder.RenameColumn(
                name: "Provider",
                table: "SyncRuns",
                newName: "Sync");

            migrationBuilder.AlterColumn<string>(
                name: "Sync",
                table: "SyncRuns",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(16)",
                oldMaxLength: 16);

            migrationBuilder.AddColumn<DateTime>(
                name: "HeartbeatAtUtc",
                table: "SyncRuns",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<DateTime>(
                name: "HeartbeatAtUtc",
                table: "ImportRuns",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "UploadName",
                table: "ImportRuns",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            // Runs written before heartbeats existed beat last when they started.
            migrationBuilder.Sql("UPDATE \"SyncRuns\" SET \"HeartbeatAtUtc\" = \"StartedAtUtc\";");
            migrationBuilder.Sql("UPDATE \"ImportRuns\" SET \"HeartbeatAtUtc\" = \"StartedAtUtc\";");
            // At most one running run per connection and sync from now on: older ones left running never finished.
            migrationBuilder.Sql("""
                UPDATE "SyncRuns" SET "Status" = 'interrupted', "FinishedAtUtc" = "StartedAtUtc",
                    "Error" = 'The app stopped before this sync finished; the next sync resumes from where it got to.'
                WHERE "Status" = 'running' AND "Id" NOT IN (SELECT MAX("Id") FROM "SyncRuns" WHERE "Status" = 'running' GROUP BY "ConnectionId", "Sync");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_ConnectionId_Sync",
                table: "SyncRuns",
                columns: new[] { "ConnectionId", "Sync" },
                unique: true,
                filter: "\"Status\" = 'running'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SyncRuns_ConnectionId_Sync",
                table: "SyncRuns");

            migrationBuilder.DropColumn(
                name: "HeartbeatAtUtc",
                table: "SyncRuns");

            migrationBuilder.DropColumn(
                name: "HeartbeatAtUtc",
                table: "ImportRuns");

            migrationBuilder.DropColumn(
                name: "UploadName",
                table: "ImportRuns");

            migrationBuilder.RenameColumn(
                name: "Sync",
                table: "SyncRuns",
                newName: "Provider");

            migrationBuilder.AlterColumn<string>(
                name: "Provider",
                table: "SyncRuns",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_ConnectionId",
                table: "SyncRuns",
                column: "ConnectionId");
        }
    }
}
