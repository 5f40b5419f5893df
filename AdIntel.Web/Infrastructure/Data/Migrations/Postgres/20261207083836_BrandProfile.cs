using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BrandProfile : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BrandAudience",
                table: "StoreSettings",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BrandClaimsAllowed",
                table: "StoreSettings",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BrandProductsToFeature",
                table: "StoreSettings",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BrandVoice",
                table: "StoreSettings",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BrandWordsToAvoid",
                table: "StoreSettings",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BrandAudience",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "BrandClaimsAllowed",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "BrandProductsToFeature",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "BrandVoice",
                table: "StoreSettings");

            migrationBuilder.DropColumn(
                name: "BrandWordsToAvoid",
                table: "StoreSettings");
        }
    }
}
