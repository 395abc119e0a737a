using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class UsagePackagesAndSuspension : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "StatusBeforeSuspension",
                table: "Applications",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DailyUsage",
                columns: table => new
                {
                    ApplicationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyUsage", x => new { x.ApplicationId, x.Metric, x.Day });
                    table.ForeignKey(
                        name: "FK_DailyUsage_Applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "Applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PackageSettlements",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Usage = table.Column<long>(type: "INTEGER", nullable: false),
                    Covered = table.Column<long>(type: "INTEGER", nullable: false),
                    PayAsYouGo = table.Column<long>(type: "INTEGER", nullable: false),
                    BillingMode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SettledAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PackageSettlements", x => new { x.Day, x.Type });
                });

            migrationBuilder.CreateTable(
                name: "ResourcePackages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Used = table.Column<long>(type: "INTEGER", nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResourcePackages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DailyUsage_Day_Metric_ApplicationId_Value",
                table: "DailyUsage",
                columns: new[] { "Day", "Metric", "ApplicationId", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_ResourcePackages_ExpiresOn_StartsOn",
                table: "ResourcePackages",
                columns: new[] { "ExpiresOn", "StartsOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DailyUsage");

            migrationBuilder.DropTable(
                name: "PackageSettlements");

            migrationBuilder.DropTable(
                name: "ResourcePackages");

            migrationBuilder.DropColumn(
                name: "StatusBeforeSuspension",
                table: "Applications");
        }
    }
}
