using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DropAdHeadline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Headline",
                table: "Ads");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Headline",
                table: "Ads",
                type: "text",
                nullable: true);
        }
    }
}
