using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProductCostHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "LineSales",
                table: "DailyFacts",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "LineSalesWithCost",
                table: "DailyFacts",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.CreateTable(
                name: "ProductCosts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StoreId = table.Column<long>(type: "bigint", nullable: false),
                    VariantId = table.Column<long>(type: "bigint", nullable: true),
                    Sku = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    UnitCost = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: true),
                    EffectiveFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EnteredAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EnteredBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductCosts", x => x.Id);
                    table.CheckConstraint("CK_ProductCosts_Item", "\"VariantId\" IS NOT NULL OR \"Sku\" IS NOT NULL");
                    table.ForeignKey(
                        name: "FK_ProductCosts_ProductVariants_VariantId",
                        column: x => x.VariantId,
                        principalTable: "ProductVariants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ProductCosts_Stores_StoreId",
                        column: x => x.StoreId,
                        principalTable: "Stores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProductCosts_StoreId_Sku_EffectiveFrom",
                table: "ProductCosts",
                columns: new[] { "StoreId", "Sku", "EffectiveFrom" });

            migrationBuilder.CreateIndex(
                name: "IX_ProductCosts_StoreId_VariantId_EffectiveFrom",
                table: "ProductCosts",
                columns: new[] { "StoreId", "VariantId", "EffectiveFrom" });

            migrationBuilder.CreateIndex(
                name: "IX_ProductCosts_VariantId",
                table: "ProductCosts",
                column: "VariantId");

            // Facts built before now lack the line sales that COGS coverage weighs: every store's are rebuilt at start.
            migrationBuilder.Sql("""INSERT INTO "PendingFactsChanges" ("StoreId") SELECT "Id" FROM "Stores";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProductCosts");

            migrationBuilder.DropColumn(
                name: "LineSales",
                table: "DailyFacts");

            migrationBuilder.DropColumn(
                name: "LineSalesWithCost",
                table: "DailyFacts");
        }
    }
}
