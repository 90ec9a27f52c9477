using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DocExtract.Persistence.Migrations;

/// <summary>
/// Issue #12, "a cascade of local models": an extraction knows the tier working on it and the attempts of the tiers
/// before, and the usage ledger keeps one row per attempt, keyed by extraction and tier instead of extraction alone.
/// Written by hand, as Initial is. Existing rows are tier 0, the only tier there was.
/// </summary>
[DbContext(typeof(DocExtractDbContext))]
[Migration("20261129171000_Cascade")]
public sealed class Cascade : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>(name: "tier", table: "extractions", type: "integer", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<string>(name: "attempts", table: "extractions", type: "jsonb", nullable: true);
        // The model sets no default: every new row names its tier. The default only filled the existing rows.
        migrationBuilder.AlterColumn<int>(name: "tier", table: "extractions", type: "integer", nullable: false,
            oldClrType: typeof(int), oldType: "integer", oldDefaultValue: 0);

        migrationBuilder.DropPrimaryKey(name: "PK_usage", table: "usage");
        migrationBuilder.AddPrimaryKey(name: "PK_usage", table: "usage", columns: ["id", "tier"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // Only the last tier's row of each extraction can stay under the old key.
        migrationBuilder.Sql("DELETE FROM usage u WHERE EXISTS (SELECT 1 FROM usage v WHERE v.id = u.id AND v.tier > u.tier)");
        migrationBuilder.DropPrimaryKey(name: "PK_usage", table: "usage");
        migrationBuilder.AddPrimaryKey(name: "PK_usage", table: "usage", column: "id");
        migrationBuilder.DropColumn(name: "attempts", table: "extractions");
        migrationBuilder.DropColumn(name: "tier", table: "extractions");
    }
}
