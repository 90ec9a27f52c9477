using System.Text.Json;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace DocExtract.Persistence.Migrations;

/// <summary>
/// Written by hand: Microsoft.EntityFrameworkCore.Design (and so `dotnet ef migrations add`) cannot be restored
/// from the reachable NuGet copy. MigrationsMatchTheModel in the tests compares the migrated schema with the
/// one EF derives from the model, so a drift between the two fails the build instead of production.
/// </summary>
[DbContext(typeof(DocExtractDbContext))]
[Migration("20261121000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "files",
            columns: table => new
            {
                sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                content = table.Column<byte[]>(type: "bytea", nullable: false),
                size_bytes = table.Column<long>(type: "bigint", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_files", x => x.sha256));

        migrationBuilder.CreateTable(
            name: "documents",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                file_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                size_bytes = table.Column<long>(type: "bigint", nullable: false),
                requested_schema = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                failure_reason = table.Column<string>(type: "text", nullable: true),
                page_count = table.Column<int>(type: "integer", nullable: true),
                attempts = table.Column<int>(type: "integer", nullable: false),
                current_extraction_id = table.Column<Guid>(type: "uuid", nullable: false),
                idempotency_key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_documents", x => x.id);
                table.ForeignKey("fk_documents_files", x => x.file_sha256, "files", "sha256", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "results",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                document_id = table.Column<Guid>(type: "uuid", nullable: false),
                schema_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                content = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_results", x => x.id);
                table.ForeignKey("fk_results_documents", x => x.document_id, "documents", "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "outbox",
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                message_id = table.Column<Guid>(type: "uuid", nullable: false),
                destination = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                message_type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                payload = table.Column<string>(type: "jsonb", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                attempts = table.Column<int>(type: "integer", nullable: false),
                last_error = table.Column<string>(type: "text", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_outbox", x => x.id));

        migrationBuilder.CreateIndex("ux_documents_idempotency_key", "documents", "idempotency_key", unique: true);
        migrationBuilder.CreateIndex("ix_documents_status_created_at", "documents", ["status", "created_at"]);
        migrationBuilder.CreateIndex("ix_documents_file_sha256", "documents", "file_sha256");
        migrationBuilder.CreateIndex("ix_results_document_id_created_at", "results", ["document_id", "created_at"]);
        migrationBuilder.CreateIndex("ux_outbox_message_id", "outbox", "message_id", unique: true);
        migrationBuilder.CreateIndex("ix_outbox_unsent", "outbox", "id", filter: "sent_at IS NULL");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("outbox");
        migrationBuilder.DropTable("results");
        migrationBuilder.DropTable("documents");
        migrationBuilder.DropTable("files");
    }
}
