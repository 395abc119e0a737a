using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class MediaSortingAndSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Title",
                table: "Media",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                collation: "NOCASE",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200);

            migrationBuilder.CreateIndex(
                name: "IX_Media_ApplicationId_SizeBytes_Id",
                table: "Media",
                columns: new[] { "ApplicationId", "SizeBytes", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Media_ApplicationId_Title_Id",
                table: "Media",
                columns: new[] { "ApplicationId", "Title", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Media_ApplicationId_SizeBytes_Id",
                table: "Media");

            migrationBuilder.DropIndex(
                name: "IX_Media_ApplicationId_Title_Id",
                table: "Media");

            migrationBuilder.AlterColumn<string>(
                name: "Title",
                table: "Media",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200,
                oldCollation: "NOCASE");
        }
    }
}
