using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AdIntel.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <summary>
    /// A customer's first-order date was stored by every facts rebuild but never read: the metrics take each customer's
    /// first order from the ledger (<c>OrderLedger.FirstOrdersByCustomer</c>). Keeping it cost an UPDATE of every new
    /// customer per rebuild, about a second for a 100k-order import on PostgreSQL.
    /// </summary>
    public partial class DropCustomerFirstOrderDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FirstOrderDate",
                table: "Customers");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "FirstOrderDate",
                table: "Customers",
                type: "TEXT",
                nullable: true);
        }
    }
}
