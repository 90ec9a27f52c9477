using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DocExtract.Persistence.Migrations;

/// <summary>Issue #6, "rules, export and webhooks": an upload's callback URL, the webhook deliveries the API sends,
/// and the index GET /results pages by. Written by hand, as Initial is.</summary>
[DbContext(typeof(DocExtractDbContext))]
[Migration("20261121120000_RulesExportWebhooks")]
public sealed class RulesExportWebhooks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(
            name: "callback_url", table: "documents", type: "character varying(2048)", maxLength: 2048, nullable: true);

        migrationBuilder.CreateIndex(
            name: "ix_results_schema_name_created_at_id", table: "results", columns: ["schema_name", "created_at", "id"]);

        migrationBuilder.CreateTable(
            name: "webhook_deliveries",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                document_id = table.Column<Guid>(type: "uuid", nullable: false),
                url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                payload = table.Column<string>(type: "text", nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                attempts = table.Column<int>(type: "integer", nullable: false),
                next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                last_error = table.Column<string>(type: "text", nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_webhook_deliveries", x => x.id);
                table.ForeignKey(
                    name: "fk_webhook_deliveries_documents", column: x => x.document_id,
                    principalTable: "documents", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "ix_webhook_deliveries_status_next_attempt_at", table: "webhook_deliveries", columns: ["status", "next_attempt_at"]);
        migrationBuilder.CreateIndex(
            name: "ix_webhook_deliveries_document_id", table: "webhook_deliveries", column: "document_id");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("webhook_deliveries");
        migrationBuilder.DropIndex("ix_results_schema_name_created_at_id", "results");
        migrationBuilder.DropColumn("callback_url", "documents");
    }
}
