using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DocExtract.Persistence.Migrations;

/// <summary>
/// An Idempotency-Key belongs to the API key that sent it, not to the whole tenant (issue #15): another key resending
/// it was answered with the first key's document. Written by hand, as Initial is. Every pair unique per tenant is
/// unique per tenant and key too, so the new index builds on any existing data. The watched folder's documents have
/// no key id; NULLS NOT DISTINCT (PostgreSQL 15) keeps their keys unique as before, over the rows that have an
/// idempotency key (uploads without one have none to collide).
/// </summary>
[DbContext(typeof(DocExtractDbContext))]
[Migration("20261129150000_IdempotencyKeyPerApiKey")]
public sealed class IdempotencyKeyPerApiKey : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("ux_documents_tenant_idempotency_key", "documents");
        migrationBuilder.CreateIndex("ux_documents_key_idempotency_key", "documents", ["tenant_id", "submitted_by_key_id", "idempotency_key"], unique: true,
                filter: "idempotency_key IS NOT NULL")
            .Annotation("Npgsql:NullsDistinct", false);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("ux_documents_key_idempotency_key", "documents");
        migrationBuilder.CreateIndex("ux_documents_tenant_idempotency_key", "documents", ["tenant_id", "idempotency_key"], unique: true);
    }
}
