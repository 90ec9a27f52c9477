using System.Text.Json;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DocExtract.Persistence.Migrations;

/// <summary>
/// Issue #13, "corrections kept": one row per approved version of a document's data, beside the model's result.
/// Written by hand, as Initial is. The status column is text, so the new <c>reviewed</c> status needs no change.
/// </summary>
[DbContext(typeof(DocExtractDbContext))]
[Migration("20261129170000_Reviews")]
public sealed class Reviews : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "reviews",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                document_id = table.Column<Guid>(type: "uuid", nullable: false),
                tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                result_id = table.Column<Guid>(type: "uuid", nullable: false),
                version = table.Column<int>(type: "integer", nullable: false),
                schema_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                schema_version = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                data = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                changes = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                reviewed_by = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                reviewed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_reviews", x => x.id);
                table.ForeignKey(
                    name: "fk_reviews_documents", column: x => x.document_id,
                    principalTable: "documents", principalColumn: "id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "fk_reviews_results", column: x => x.result_id,
                    principalTable: "results", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "ux_reviews_document_id_version", table: "reviews", columns: ["document_id", "version"], unique: true);
        migrationBuilder.CreateIndex(name: "ix_reviews_tenant_id_schema_name_reviewed_at", table: "reviews",
            columns: ["tenant_id", "schema_name", "reviewed_at"]);
        migrationBuilder.CreateIndex(name: "IX_reviews_result_id", table: "reviews", column: "result_id");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("reviews");
}
