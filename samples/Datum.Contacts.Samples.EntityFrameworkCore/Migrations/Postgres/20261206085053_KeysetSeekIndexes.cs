using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Datum.Contacts.Samples.EntityFrameworkCore.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KeysetSeekIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_contacts_membership_history_TenantId_ContactId_OccurredAtTi~",
                table: "contacts_membership_history",
                columns: new[] { "TenantId", "ContactId", "OccurredAtTicks", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_engagements_TenantId_ContactId_OccurredAtTicks_Id",
                table: "contacts_engagements",
                columns: new[] { "TenantId", "ContactId", "OccurredAtTicks", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_contacts_membership_history_TenantId_ContactId_OccurredAtTi~",
                table: "contacts_membership_history");

            migrationBuilder.DropIndex(
                name: "IX_contacts_engagements_TenantId_ContactId_OccurredAtTicks_Id",
                table: "contacts_engagements");
        }
    }
}
