using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Datum.Contacts.Samples.EntityFrameworkCore.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "contacts_lists",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    NameKey = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "text", nullable: true),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    CriteriaText = table.Column<string>(type: "text", nullable: true),
                    CommunicationMethod = table.Column<string>(type: "text", nullable: true),
                    Integrations = table.Column<string>(type: "text", nullable: false),
                    Tags = table.Column<string>(type: "text", nullable: false),
                    MemberCount = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAtTicks = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAtTicks = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_lists", x => new { x.TenantId, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "contacts_membership_history",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ListId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurredAtTicks = table.Column<long>(type: "bigint", nullable: false),
                    FromStatus = table.Column<int>(type: "integer", nullable: true),
                    ToStatus = table.Column<int>(type: "integer", nullable: true),
                    Reason = table.Column<int>(type: "integer", nullable: false),
                    ActorKind = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_membership_history", x => new { x.TenantId, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "contacts_list_memberships",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ListId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    JoinedAtTicks = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAtTicks = table.Column<long>(type: "bigint", nullable: false),
                    LastEngagementAtTicks = table.Column<long>(type: "bigint", nullable: true),
                    Notes = table.Column<string>(type: "text", nullable: true),
                    ChannelOverrides = table.Column<string>(type: "text", nullable: false),
                    FrequencyOverride = table.Column<int>(type: "integer", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_list_memberships", x => new { x.TenantId, x.ListId, x.ContactId });
                    table.ForeignKey(
                        name: "FK_contacts_list_memberships_contacts_contacts_TenantId_Contac~",
                        columns: x => new { x.TenantId, x.ContactId },
                        principalTable: "contacts_contacts",
                        principalColumns: new[] { "TenantId", "Id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_contacts_list_memberships_contacts_lists_TenantId_ListId",
                        columns: x => new { x.TenantId, x.ListId },
                        principalTable: "contacts_lists",
                        principalColumns: new[] { "TenantId", "Id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_list_memberships_TenantId_ContactId",
                table: "contacts_list_memberships",
                columns: new[] { "TenantId", "ContactId" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_list_memberships_TenantId_ListId_Status_ContactId",
                table: "contacts_list_memberships",
                columns: new[] { "TenantId", "ListId", "Status", "ContactId" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_lists_TenantId_Kind",
                table: "contacts_lists",
                columns: new[] { "TenantId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_lists_TenantId_NameKey",
                table: "contacts_lists",
                columns: new[] { "TenantId", "NameKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_contacts_membership_history_TenantId_ContactId_ListId_Occur~",
                table: "contacts_membership_history",
                columns: new[] { "TenantId", "ContactId", "ListId", "OccurredAtTicks", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_membership_history_TenantId_ListId_OccurredAtTicks~",
                table: "contacts_membership_history",
                columns: new[] { "TenantId", "ListId", "OccurredAtTicks", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contacts_list_memberships");

            migrationBuilder.DropTable(
                name: "contacts_membership_history");

            migrationBuilder.DropTable(
                name: "contacts_lists");
        }
    }
}
