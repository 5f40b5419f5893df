using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CompetitorWatch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Competitors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StoreId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SearchTerms = table.Column<string>(type: "TEXT", nullable: false),
                    PageIds = table.Column<string>(type: "TEXT", nullable: false),
                    Countries = table.Column<string>(type: "TEXT", nullable: false),
                    AdStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSyncedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastSyncError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Competitors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Competitors_Stores_StoreId",
                        column: x => x.StoreId,
                        principalTable: "Stores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CompetitorAds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StoreId = table.Column<long>(type: "INTEGER", nullable: false),
                    CompetitorId = table.Column<long>(type: "INTEGER", nullable: false),
                    ArchiveId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PageName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Bodies = table.Column<string>(type: "TEXT", nullable: false),
                    LinkTitles = table.Column<string>(type: "TEXT", nullable: false),
                    SnapshotUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    DeliveryStart = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    DeliveryStop = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Platforms = table.Column<string>(type: "TEXT", nullable: false),
                    Languages = table.Column<string>(type: "TEXT", nullable: false),
                    FirstSeenAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSeenAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CompetitorAds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CompetitorAds_Competitors_CompetitorId",
                        column: x => x.CompetitorId,
                        principalTable: "Competitors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CompetitorAds_Stores_StoreId",
                        column: x => x.StoreId,
                        principalTable: "Stores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CompetitorAds_CompetitorId",
                table: "CompetitorAds",
                column: "CompetitorId");

            migrationBuilder.CreateIndex(
                name: "IX_CompetitorAds_StoreId_CompetitorId_ArchiveId",
                table: "CompetitorAds",
                columns: new[] { "StoreId", "CompetitorId", "ArchiveId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Competitors_StoreId_Name",
                table: "Competitors",
                columns: new[] { "StoreId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CompetitorAds");

            migrationBuilder.DropTable(
                name: "Competitors");
        }
    }
}
