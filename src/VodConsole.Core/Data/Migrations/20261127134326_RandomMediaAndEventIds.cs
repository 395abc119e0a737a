using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class RandomMediaAndEventIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CallbackEvents_ApplicationId_Id",
                table: "CallbackEvents");

            migrationBuilder.CreateIndex(
                name: "IX_CallbackEvents_ApplicationId_CreatedAt_Id",
                table: "CallbackEvents",
                columns: new[] { "ApplicationId", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CallbackEvents_ApplicationId_CreatedAt_Id",
                table: "CallbackEvents");

            migrationBuilder.CreateIndex(
                name: "IX_CallbackEvents_ApplicationId_Id",
                table: "CallbackEvents",
                columns: new[] { "ApplicationId", "Id" });
        }
    }
}
