using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Data.Postgres.Migrations
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
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Attempt",
                table: "MediaPulls",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "MediaPulls",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "MediaPulls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Attempt",
                table: "Media",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "Media",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "Media",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "Media",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApplicationBudgets",
                columns: table => new
                {
                    ApplicationId = table.Column<long>(type: "bigint", nullable: false),
                    MonthlyBudgetMicros = table.Column<long>(type: "bigint", nullable: true),
                    StorageCapBytes = table.Column<long>(type: "bigint", nullable: true),
                    TrafficCapBytes = table.Column<long>(type: "bigint", nullable: true),
                    TranscodeCapSeconds = table.Column<long>(type: "bigint", nullable: true),
                    StopAtLimit = table.Column<bool>(type: "boolean", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
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
                    ApplicationId = table.Column<long>(type: "bigint", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    Dimension = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    NotifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<int>(type: "integer", nullable: false),
                    StorageGbMonthMicros = table.Column<long>(type: "bigint", nullable: false),
                    TrafficGbMicros = table.Column<long>(type: "bigint", nullable: false),
                    TranscodeSdMinuteMicros = table.Column<long>(type: "bigint", nullable: false),
                    TranscodeHdMinuteMicros = table.Column<long>(type: "bigint", nullable: false),
                    TranscodeFhdMinuteMicros = table.Column<long>(type: "bigint", nullable: false),
                    Transcode2KMinuteMicros = table.Column<long>(type: "bigint", nullable: false),
                    Transcode4KMinuteMicros = table.Column<long>(type: "bigint", nullable: false),
                    TranscodeAudioMinuteMicros = table.Column<long>(type: "bigint", nullable: false),
                    ReviewMinuteMicros = table.Column<long>(type: "bigint", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChargebackRates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ConsoleInstances",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Machine = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ProcessId = table.Column<int>(type: "integer", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AliveUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsoleInstances", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PeriodLeases",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Holder = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    NextRunAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);
        }
    }
}
