using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class MediaCodecs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AudioCodec",
                table: "Media",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "BitrateBps",
                table: "Media",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VideoCodec",
                table: "Media",
                type: "TEXT",
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AudioCodec",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "BitrateBps",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "VideoCodec",
                table: "Media");
        }
    }
}
