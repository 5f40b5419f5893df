using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PendingFactsChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PendingFactsChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StoreId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingFactsChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PendingFactsChanges_Stores_StoreId",
                        column: x => x.StoreId,
                        principalTable: "Stores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PendingFactsChanges_StoreId",
                table: "PendingFactsChanges",
                column: "StoreId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PendingFactsChanges");
        }
    }
}
