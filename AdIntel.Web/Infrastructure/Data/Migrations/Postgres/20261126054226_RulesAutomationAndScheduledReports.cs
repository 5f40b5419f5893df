using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RulesAutomationAndScheduledReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ActionCooldownHours",
                table: "StoreSettings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "AutomationPaused",
                table: "StoreSettings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "MaxActionsPerDay",
                table: "StoreSettings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxActionsPerRun",
                table: "StoreSettings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "MaxBudgetChangePercentPerDay",
                table: "StoreSettings",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MinImpressionsForAutomation",
                table: "StoreSettings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MinPurchasesForScaleUp",
                table: "StoreSettings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "MinSpendForAutomation",
                table: "StoreSettings",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TrackingBreakerDisabled",
                table: "StoreSettings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "TrackingBreakerDropPercent",
                table: "StoreSettings",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Status",
                table: "RuleExecutions",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<int>(
                name: "ActionsBlocked",
                table: "RuleExecutions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ActionsExecuted",
                table: "RuleExecutions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ActionsQueued",
                table: "RuleExecutions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Message",
                table: "RuleExecutions",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SlotStartUtc",
                table: "RuleExecutions",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "Trigger",
                table: "RuleExecutions",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "ActionRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StoreId = table.Column<long>(type: "bigint", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RuleId = table.Column<long>(type: "bigint", nullable: true),
                    RuleExecutionId = table.Column<long>(type: "bigint", nullable: true),
                    EntityScope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EntityId = table.Column<long>(type: "bigint", nullable: false),
                    EntityExternalId = table.Column<string>(type: "text", nullable: false),
                    EntityName = table.Column<string>(type: "text", nullable: false),
                    Type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SettingsJson = table.Column<string>(type: "text", nullable: false),
                    RiskLevel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    EvidenceJson = table.Column<string>(type: "text", nullable: false),
                    StatusBefore = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    StatusAfter = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    BudgetBefore = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    BudgetAfter = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    ResultJson = table.Column<string>(type: "text", nullable: true),
                    IdempotencyKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DecidedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ExecutedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UndoneAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UndoneBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActionRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActionRecords_Rules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "Rules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_ActionRecords_Stores_StoreId",
                        column: x => x.StoreId,
                        principalTable: "Stores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScheduledReports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StoreId = table.Column<long>(type: "bigint", nullable: false),
                    Report = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Format = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Frequency = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Recipient = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSentAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScheduledReports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScheduledReports_Stores_StoreId",
                        column: x => x.StoreId,
                        principalTable: "Stores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RuleExecutions_StoreId_RuleId_SlotStartUtc",
                table: "RuleExecutions",
                columns: new[] { "StoreId", "RuleId", "SlotStartUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ActionRecords_RuleId",
                table: "ActionRecords",
                column: "RuleId");

            migrationBuilder.CreateIndex(
                name: "IX_ActionRecords_StoreId_EntityScope_EntityId_ExecutedAtUtc",
                table: "ActionRecords",
                columns: new[] { "StoreId", "EntityScope", "EntityId", "ExecutedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ActionRecords_StoreId_IdempotencyKey",
                table: "ActionRecords",
                columns: new[] { "StoreId", "IdempotencyKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActionRecords_StoreId_RuleId_CreatedAtUtc",
                table: "ActionRecords",
                columns: new[] { "StoreId", "RuleId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ActionRecords_StoreId_Status_CreatedAtUtc",
                table: "ActionRecords",
                columns: new[] { "StoreId", "Status", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ScheduledReports_StoreId",
                table: "ScheduledReports",
                column: "StoreId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActionRecords");

            migrationBuilder.DropTable(
                name: "ScheduledReports");

            migrationBuilder.DropIndex(
                name: "IX_RuleExecutions_StoreId_RuleId_SlotStartUtc",
                table: "RuleExecutions");

            migrationBuilder.DropColumn(
                name: "ActionCooldownHours",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "AutomationPaused",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "MaxActionsPerDay",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "MaxActionsPerRun",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "MaxBudgetChangePercentPerDay",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "MinImpressionsForAutomation",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "MinPurchasesForScaleUp",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "MinSpendForAutomation",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "TrackingBreakerDisabled",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "TrackingBreakerDropPercent",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "ActionsBlocked",
                table: "RuleExecutions");

            migrationBuilder.DropColumn(
                name: "ActionsExecuted",
                table: "RuleExecutions");

            migrationBuilder.DropColumn(
                name: "ActionsQueued",
                table: "RuleExecutions");

            migrationBuilder.DropColumn(
                name: "Message",
                table: "RuleExecutions");

            migrationBuilder.DropColumn(
                name: "SlotStartUtc",
                table: "RuleExecutions");

            migrationBuilder.DropColumn(
                name: "Trigger",
                table: "RuleExecutions");

            migrationBuilder.AlterColumn<string>(
                name: "Status",
                table: "RuleExecutions",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(16)",
                oldMaxLength: 16);
        }
    }
}
