using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class PackageNamesAndCancellation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "CancelledOn",
                table: "ResourcePackages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "ResourcePackages",
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CancelledOn",
                table: "ResourcePackages");

            migrationBuilder.DropColumn(
                name: "Name",
                table: "ResourcePackages");
        }
    }
}
