using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DocExtract.Persistence.Migrations;

/// <summary>The watched folder's ledger (issue #4). Written by hand, as Initial is.</summary>
[DbContext(typeof(DocExtractDbContext))]
[Migration("20261121080000_WatchedFiles")]
public sealed class WatchedFiles : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "watched_files",
            columns: table => new
            {
                path = table.Column<string>(type: "text", nullable: false),
                size_bytes = table.Column<long>(type: "bigint", nullable: false),
                modified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                fate = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                document_id = table.Column<Guid>(type: "uuid", nullable: true),
                reason = table.Column<string>(type: "text", nullable: true),
                taken_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_watched_files", x => x.path));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("watched_files");
}
