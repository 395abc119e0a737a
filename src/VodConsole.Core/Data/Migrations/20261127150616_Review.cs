using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Review : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReviewReason",
                table: "Media",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewState",
                table: "Media",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                // Hand-set: media that existed before review was a feature were never subject to it.
                defaultValue: "Approved");

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "Media",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StoryboardKeys",
                table: "Media",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateTable(
                name: "ReviewSettings",
                columns: table => new
                {
                    ApplicationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewSettings", x => x.ApplicationId);
                    table.ForeignKey(
                        name: "FK_ReviewSettings_Applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "Applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Media_ApplicationId_ReviewState_CreatedAt",
                table: "Media",
                columns: new[] { "ApplicationId", "ReviewState", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReviewSettings");

            migrationBuilder.DropIndex(
                name: "IX_Media_ApplicationId_ReviewState_CreatedAt",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "ReviewReason",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "ReviewState",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "StoryboardKeys",
                table: "Media");
        }
    }
}
