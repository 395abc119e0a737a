using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class InstancesAndLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClaimToken",
                table: "TranscodeJobs");

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "TranscodeJobs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Attempt",
                table: "MediaPulls",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "MediaPulls",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "MediaPulls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Attempt",
                table: "Media",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "Media",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "Media",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ConsoleInstances",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Machine = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ProcessId = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AliveUntil = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsoleInstances", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PeriodLeases",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    NextRunAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PeriodLeases", x => x.Kind);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConsoleInstances");

            migrationBuilder.DropTable(
                name: "PeriodLeases");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "TranscodeJobs");

            migrationBuilder.DropColumn(
                name: "Attempt",
                table: "MediaPulls");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "MediaPulls");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "MediaPulls");

            migrationBuilder.DropColumn(
                name: "Attempt",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "Media");

            migrationBuilder.AddColumn<string>(
                name: "ClaimToken",
                table: "TranscodeJobs",
                type: "TEXT",
                maxLength: 32,
                nullable: true);
        }
    }
}
