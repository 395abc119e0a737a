using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeysFollowTheirUser : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DisabledReason",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResponsibleUserId",
                table: "ApiKeys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_ResponsibleUserId",
                table: "ApiKeys",
                column: "ResponsibleUserId");

            // Hand-written: keys made before this change follow the user whose e-mail they recorded as their creator
            // (docs/decisions/0010); keys whose creator is gone or was the system follow nobody.
            migrationBuilder.Sql(
                "UPDATE \"ApiKeys\" SET \"ResponsibleUserId\" = "
                + "(SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"AspNetUsers\".\"Email\" = \"ApiKeys\".\"CreatedBy\")");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_ResponsibleUserId",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "DisabledReason",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "ResponsibleUserId",
                table: "ApiKeys");
        }
    }
}
