using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewDecisionsBudgetsAndLeases : Migration
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

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "Media",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApplicationBudgets",
                columns: table => new
                {
                    ApplicationId = table.Column<long>(type: "INTEGER", nullable: false),
                    MonthlyBudgetMicros = table.Column<long>(type: "INTEGER", nullable: true),
                    StorageCapBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    TrafficCapBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    TranscodeCapSeconds = table.Column<long>(type: "INTEGER", nullable: true),
                    StopAtLimit = table.Column<bool>(type: "INTEGER", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApplicationBudgets", x => x.ApplicationId);
                    table.ForeignKey(
                        name: "FK_ApplicationBudgets_Applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "Applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "BudgetNotices",
                columns: table => new
                {
                    ApplicationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Dimension = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    NotifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BudgetNotices", x => new { x.ApplicationId, x.Month, x.Dimension, x.Level });
                    table.ForeignKey(
                        name: "FK_BudgetNotices_Applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "Applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ChargebackRates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    StorageGbMonthMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    TrafficGbMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    TranscodeSdMinuteMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    TranscodeHdMinuteMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    TranscodeFhdMinuteMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    Transcode2KMinuteMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    Transcode4KMinuteMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    TranscodeAudioMinuteMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    ReviewMinuteMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChargebackRates", x => x.Id);
                });

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

            migrationBuilder.CreateIndex(
                name: "IX_Media_ApplicationId_ReviewState_ReviewedAt",
                table: "Media",
                columns: new[] { "ApplicationId", "ReviewState", "ReviewedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BudgetNotices_Month",
                table: "BudgetNotices",
                column: "Month");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApplicationBudgets");

            migrationBuilder.DropTable(
                name: "BudgetNotices");

            migrationBuilder.DropTable(
                name: "ChargebackRates");

            migrationBuilder.DropTable(
                name: "ConsoleInstances");

            migrationBuilder.DropTable(
                name: "PeriodLeases");

            migrationBuilder.DropIndex(
                name: "IX_Media_ApplicationId_ReviewState_ReviewedAt",
                table: "Media");

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

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
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
