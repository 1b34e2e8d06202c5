using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Datum.Contacts.Samples.EntityFrameworkCore.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TagsByContact : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_contacts_contact_tags_TenantId_ContactId_FoldedTag",
                table: "contacts_contact_tags",
                columns: new[] { "TenantId", "ContactId", "FoldedTag" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_contacts_contact_tags_TenantId_ContactId_FoldedTag",
                table: "contacts_contact_tags");
        }
    }
}
