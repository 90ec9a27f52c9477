using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DocExtract.Persistence.Migrations;

/// <summary>
/// Keys, tenants, the audit trail and retention (issue #7). Written by hand, as Initial is. Documents stored before
/// tenancy belong to the default tenant. The foreign key from documents to files goes: retention deletes an original
/// while its document stays, and intake and deletion serialise on an advisory lock per SHA-256 instead.
/// </summary>
[DbContext(typeof(DocExtractDbContext))]
[Migration("20261121130000_KeysTenantsAudit")]
public sealed class KeysTenantsAudit : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropForeignKey("fk_documents_files", "documents");
        migrationBuilder.AddColumn<string>("tenant_id", "documents", type: "character varying(64)", maxLength: 64,
            nullable: false, defaultValue: Persistence.Tenancy.Tenants.Default);
        // The default only fills the existing rows; new rows always name their tenant.
        migrationBuilder.Sql("ALTER TABLE documents ALTER COLUMN tenant_id DROP DEFAULT");
        migrationBuilder.AddColumn<string>("submitted_by_key_id", "documents", type: "character varying(32)", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("original_deleted_at", "documents", type: "timestamp with time zone", nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("results_deleted_at", "documents", type: "timestamp with time zone", nullable: true);
        migrationBuilder.DropIndex("ux_documents_idempotency_key", "documents");
        migrationBuilder.CreateIndex("ux_documents_tenant_idempotency_key", "documents", ["tenant_id", "idempotency_key"], unique: true);
        migrationBuilder.CreateIndex("ix_documents_tenant_created_at", "documents", ["tenant_id", "created_at"]);

        migrationBuilder.CreateTable(
            name: "api_keys",
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                secret_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_api_keys", x => x.id));

        migrationBuilder.CreateTable(
            name: "audit_log",
            columns: table => new
            {
                sequence = table.Column<long>(type: "bigint", nullable: false),
                at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                actor = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                key_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                document_id = table.Column<Guid>(type: "uuid", nullable: true),
                remote = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                details = table.Column<string>(type: "text", nullable: false),
                previous_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_audit_log", x => x.sequence));
        migrationBuilder.CreateIndex("ix_audit_log_tenant_document", "audit_log", ["tenant_id", "document_id"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("audit_log");
        migrationBuilder.DropTable("api_keys");
        migrationBuilder.DropIndex("ix_documents_tenant_created_at", "documents");
        migrationBuilder.DropIndex("ux_documents_tenant_idempotency_key", "documents");
        migrationBuilder.CreateIndex("ux_documents_idempotency_key", "documents", "idempotency_key", unique: true);
        migrationBuilder.DropColumn("results_deleted_at", "documents");
        migrationBuilder.DropColumn("original_deleted_at", "documents");
        migrationBuilder.DropColumn("submitted_by_key_id", "documents");
        migrationBuilder.DropColumn("tenant_id", "documents");
        migrationBuilder.AddForeignKey("fk_documents_files", "documents", "file_sha256", "files", principalColumn: "sha256",
            onDelete: ReferentialAction.Restrict);
    }
}
