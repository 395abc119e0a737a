using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VodConsole.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccessGrants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsAdministrator",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // The owner of an existing database is an Administrator, as the bootstrap makes every new owner.
            migrationBuilder.Sql("UPDATE AspNetUsers SET IsAdministrator = 1 WHERE IsOwner = 1;");

            migrationBuilder.CreateTable(
                name: "ApplicationGrants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    ApplicationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Access = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApplicationGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApplicationGrants_Applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "Applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ApplicationGrants_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApplicationGrants_ApplicationId",
                table: "ApplicationGrants",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_ApplicationGrants_UserId_ApplicationId",
                table: "ApplicationGrants",
                columns: new[] { "UserId", "ApplicationId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApplicationGrants");

            migrationBuilder.DropColumn(
                name: "IsAdministrator",
                table: "AspNetUsers");
        }
    }
}
