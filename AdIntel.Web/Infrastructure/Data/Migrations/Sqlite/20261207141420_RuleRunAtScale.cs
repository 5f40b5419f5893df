using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RuleRunAtScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AdInsights_StoreId_Date",
                table: "AdInsights");

            migrationBuilder.AddColumn<string>(
                name: "NotListedJson",
                table: "RuleExecutions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AdInsights_StoreId_Date_Delivery",
                table: "AdInsights",
                columns: new[] { "StoreId", "Date", "AdId", "Spend", "Impressions", "Reach", "LinkClicks", "Purchases", "PurchaseValue" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AdInsights_StoreId_Date_Delivery",
                table: "AdInsights");

            migrationBuilder.DropColumn(
                name: "NotListedJson",
                table: "RuleExecutions");

            migrationBuilder.CreateIndex(
                name: "IX_AdInsights_StoreId_Date",
                table: "AdInsights",
                columns: new[] { "StoreId", "Date" });
        }
    }
}
