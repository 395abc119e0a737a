using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "Media",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Media_ApplicationId_ReviewState_ReviewedAt",
                table: "Media",
                columns: new[] { "ApplicationId", "ReviewState", "ReviewedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Media_ApplicationId_ReviewState_ReviewedAt",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
                table: "Media");
        }
    }
}
