using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AlertLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Alerts_StoreId_Status",
                table: "Alerts");

            migrationBuilder.AddColumn<DateTime>(
                name: "AcknowledgedAtUtc",
                table: "Alerts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ActiveKey",
                table: "Alerts",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConditionKey",
                table: "Alerts",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "EntityName",
                table: "Alerts",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EvidenceJson",
                table: "Alerts",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTime>(
                name: "LastSeenAtUtc",
                table: "Alerts",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<int>(
                name: "Occurrences",
                table: "Alerts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "SnoozedUntilUtc",
                table: "Alerts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Alerts",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "UpdatedBy",
                table: "Alerts",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            // Alerts raised before the lifecycle: each its own condition, still active when open.
            migrationBuilder.Sql("""
UPDATE "Alerts" SET "ConditionKey" = 'rule:legacy:' || CAST("Id" AS TEXT), "Source" = 'rule', "LastSeenAtUtc" = "CreatedAtUtc", "Occurrences" = 1, "EvidenceJson" = '{"figures":[]}';
UPDATE "Alerts" SET "ActiveKey" = "ConditionKey" WHERE "Status" = 'open';
""");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_StoreId_ActiveKey",
                table: "Alerts",
                columns: new[] { "StoreId", "ActiveKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_StoreId_Status_LastSeenAtUtc",
                table: "Alerts",
                columns: new[] { "StoreId", "Status", "LastSeenAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Alerts_StoreId_ActiveKey",
                table: "Alerts");

            migrationBuilder.DropIndex(
                name: "IX_Alerts_StoreId_Status_LastSeenAtUtc",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "AcknowledgedAtUtc",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "ActiveKey",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "ConditionKey",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "EntityName",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "EvidenceJson",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "LastSeenAtUtc",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "Occurrences",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "SnoozedUntilUtc",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "Alerts");

            migrationBuilder.DropColumn(
                name: "UpdatedBy",
                table: "Alerts");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_StoreId_Status",
                table: "Alerts",
                columns: new[] { "StoreId", "Status" });
        }
    }
}
