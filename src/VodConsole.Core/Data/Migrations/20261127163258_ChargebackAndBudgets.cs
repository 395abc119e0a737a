using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChargebackAndBudgets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
