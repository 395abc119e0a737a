using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ProcessingQueueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Media_ProcessingQueue",
                table: "Media",
                columns: new[] { "CreatedAt", "Id" },
                filter: "\"Status\" = 'Processing'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Media_ProcessingQueue",
                table: "Media");
        }
    }
}
