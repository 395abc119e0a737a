using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class GrantExpiryAndViewAs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "ApplicationGrants",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ViewAsSessions",
                columns: table => new
                {
                    AdministratorId = table.Column<string>(type: "TEXT", nullable: false),
                    ViewedUserId = table.Column<string>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndsAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ViewAsSessions", x => x.AdministratorId);
                    table.ForeignKey(
                        name: "FK_ViewAsSessions_AspNetUsers_AdministratorId",
                        column: x => x.AdministratorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ViewAsSessions_AspNetUsers_ViewedUserId",
                        column: x => x.ViewedUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApplicationGrants_ExpiresAt",
                table: "ApplicationGrants",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_ViewAsSessions_EndsAt",
                table: "ViewAsSessions",
                column: "EndsAt");

            migrationBuilder.CreateIndex(
                name: "IX_ViewAsSessions_ViewedUserId",
                table: "ViewAsSessions",
                column: "ViewedUserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ViewAsSessions");

            migrationBuilder.DropIndex(
                name: "IX_ApplicationGrants_ExpiresAt",
                table: "ApplicationGrants");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "ApplicationGrants");
        }
    }
}
