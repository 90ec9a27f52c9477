using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DocExtract.Persistence.Migrations;

/// <summary>
/// Custom document types stored through the API, every version kept, and one row per extraction run so that a
/// re-extraction keeps the earlier ones (issue #6). Written by hand, as Initial is. Documents already stored get
/// the row of their current extraction, with the schema version their result names.
/// </summary>
[DbContext(typeof(DocExtractDbContext))]
[Migration("20261121110000_CustomSchemasAndExtractions")]
public sealed class CustomSchemasAndExtractions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "custom_schemas",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                version = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                content = table.Column<byte[]>(type: "bytea", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_custom_schemas", x => x.id));

        migrationBuilder.CreateTable(
            name: "extractions",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                document_id = table.Column<Guid>(type: "uuid", nullable: false),
                requested_schema = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                requested_version = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                schema_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                schema_version = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                failure_reason = table.Column<string>(type: "text", nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_extractions", x => x.id);
                table.ForeignKey("fk_extractions_documents", x => x.document_id, "documents", "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex("ix_custom_schemas_tenant_id_name_created_at", "custom_schemas", ["tenant_id", "name", "created_at"]);
        migrationBuilder.CreateIndex("ix_extractions_document_id_created_at", "extractions", ["document_id", "created_at"]);

        migrationBuilder.Sql("""
            INSERT INTO extractions (id, document_id, requested_schema, requested_version, schema_name, schema_version,
                                     status, failure_reason, created_at, completed_at)
            SELECT d.current_extraction_id, d.id, d.requested_schema, NULL, r.schema_name,
                   CASE WHEN length(r.content->'dataStatus'->'details'->'schema'->>'version') = 64
                        THEN r.content->'dataStatus'->'details'->'schema'->>'version' END,
                   d.status, d.failure_reason, d.created_at, d.completed_at
              FROM documents d LEFT JOIN results r ON r.id = d.current_extraction_id
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("extractions");
        migrationBuilder.DropTable("custom_schemas");
    }
}
