using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StoreId = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SearchTerms = table.Column<List<string>>(type: "text[]", nullable: false),
                    PageIds = table.Column<List<string>>(type: "text[]", nullable: false),
                    Countries = table.Column<List<string>>(type: "text[]", nullable: false),
                    AdStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSyncedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastSyncError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StoreId = table.Column<long>(type: "bigint", nullable: false),
                    CompetitorId = table.Column<long>(type: "bigint", nullable: false),
                    ArchiveId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PageName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Bodies = table.Column<List<string>>(type: "text[]", nullable: false),
                    LinkTitles = table.Column<List<string>>(type: "text[]", nullable: false),
                    SnapshotUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    DeliveryStart = table.Column<DateOnly>(type: "date", nullable: true),
                    DeliveryStop = table.Column<DateOnly>(type: "date", nullable: true),
                    Platforms = table.Column<List<string>>(type: "text[]", nullable: false),
                    Languages = table.Column<List<string>>(type: "text[]", nullable: false),
                    FirstSeenAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeenAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
