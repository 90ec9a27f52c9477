using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DocExtract.Persistence.Migrations;

/// <summary>
/// Issue #12, "usage ledger": one row per extraction with its route, tier, model, tokens, stage times and slot-seconds.
/// Written by hand, as Initial is. The row outlives its document: the foreign key sets document_id to null.
/// </summary>
[DbContext(typeof(DocExtractDbContext))]
[Migration("20261129160000_UsageLedger")]
public sealed class UsageLedger : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "usage",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                document_id = table.Column<Guid>(type: "uuid", nullable: true),
                tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                document_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                route = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                tier = table.Column<int>(type: "integer", nullable: false),
                model = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                model_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                prompt_tokens_evaluated = table.Column<int>(type: "integer", nullable: false),
                prompt_tokens_reused = table.Column<int>(type: "integer", nullable: false),
                generated_tokens = table.Column<int>(type: "integer", nullable: false),
                text_ms = table.Column<double>(type: "double precision", nullable: false),
                llm_ms = table.Column<double>(type: "double precision", nullable: false),
                persist_ms = table.Column<double>(type: "double precision", nullable: true),
                slot_seconds = table.Column<double>(type: "double precision", nullable: false),
                worker_slots = table.Column<int>(type: "integer", nullable: false),
                worker = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_usage", x => x.id);
                table.ForeignKey(
                    name: "fk_usage_documents", column: x => x.document_id,
                    principalTable: "documents", principalColumn: "id", onDelete: ReferentialAction.SetNull);
            });

        migrationBuilder.CreateIndex(name: "ix_usage_tenant_id_created_at", table: "usage", columns: ["tenant_id", "created_at"]);
        migrationBuilder.CreateIndex(name: "ix_usage_document_id", table: "usage", column: "document_id");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("usage");
}
