using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <summary>
    /// An upload's chunks are stored Brotli-compressed when that makes them smaller (an orders export: about five times):
    /// storing the raw bytes of a 68 MiB export took PostgreSQL about 1.5 s. Chunks stored before this are marked raw.
    /// </summary>
    public partial class CompressedUploadChunks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsCompressed",
                table: "ImportUploadChunks",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IsCompressed",
                table: "ImportUploadChunks");
        }
    }
}
