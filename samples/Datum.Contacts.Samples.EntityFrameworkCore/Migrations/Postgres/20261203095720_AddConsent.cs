using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Datum.Contacts.Samples.EntityFrameworkCore.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddConsent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DeletionRequestedAtTicks",
                table: "contacts_contacts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "DoNotSellOrShare",
                table: "contacts_contacts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "GlobalPrivacyControlAtTicks",
                table: "contacts_contacts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "QuietHoursEndTicks",
                table: "contacts_contacts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "QuietHoursStartTicks",
                table: "contacts_contacts",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "contacts_audience_policies",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    QuietHoursStartTicks = table.Column<long>(type: "bigint", nullable: true),
                    QuietHoursEndTicks = table.Column<long>(type: "bigint", nullable: true),
                    DefaultTimeZone = table.Column<string>(type: "text", nullable: true),
                    UpdatedAtTicks = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_audience_policies", x => x.TenantId);
                });

            migrationBuilder.CreateTable(
                name: "contacts_consent_evidence",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "text", nullable: false),
                    ListId = table.Column<Guid>(type: "uuid", nullable: true),
                    Action = table.Column<int>(type: "integer", nullable: false),
                    FromState = table.Column<int>(type: "integer", nullable: false),
                    ToState = table.Column<int>(type: "integer", nullable: false),
                    OccurredAtTicks = table.Column<long>(type: "bigint", nullable: false),
                    ActorKind = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<string>(type: "text", nullable: false),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    PolicyVersion = table.Column<string>(type: "text", nullable: true),
                    LawfulBasis = table.Column<int>(type: "integer", nullable: false),
                    IpAddress = table.Column<string>(type: "text", nullable: true),
                    UserAgent = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_consent_evidence", x => new { x.TenantId, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "contacts_consents",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "text", nullable: false),
                    ListId = table.Column<Guid>(type: "uuid", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    PolicyVersion = table.Column<string>(type: "text", nullable: true),
                    CreatedAtTicks = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAtTicks = table.Column<long>(type: "bigint", nullable: false),
                    GrantedAtTicks = table.Column<long>(type: "bigint", nullable: true),
                    WithdrawnAtTicks = table.Column<long>(type: "bigint", nullable: true),
                    TokenHash = table.Column<string>(type: "text", nullable: true),
                    TokenExpiresAtTicks = table.Column<long>(type: "bigint", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_consents", x => new { x.TenantId, x.ContactId, x.Channel, x.ListId });
                    table.ForeignKey(
                        name: "FK_contacts_consents_contacts_contacts_TenantId_ContactId",
                        columns: x => new { x.TenantId, x.ContactId },
                        principalTable: "contacts_contacts",
                        principalColumns: new[] { "TenantId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contacts_engagements",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "text", nullable: false),
                    ListId = table.Column<Guid>(type: "uuid", nullable: true),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    OccurredAtTicks = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_engagements", x => new { x.TenantId, x.Id });
                    table.ForeignKey(
                        name: "FK_contacts_engagements_contacts_contacts_TenantId_ContactId",
                        columns: x => new { x.TenantId, x.ContactId },
                        principalTable: "contacts_contacts",
                        principalColumns: new[] { "TenantId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contacts_suppressions",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Reason = table.Column<int>(type: "integer", nullable: false),
                    Note = table.Column<string>(type: "text", nullable: true),
                    CreatedAtTicks = table.Column<long>(type: "bigint", nullable: false),
                    ActorKind = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_suppressions", x => new { x.TenantId, x.Kind, x.Value });
                });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_consent_evidence_TenantId_ContactId_OccurredAtTick~",
                table: "contacts_consent_evidence",
                columns: new[] { "TenantId", "ContactId", "OccurredAtTicks", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_engagements_TenantId_ContactId_Channel_Kind_Occurr~",
                table: "contacts_engagements",
                columns: new[] { "TenantId", "ContactId", "Channel", "Kind", "OccurredAtTicks" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contacts_audience_policies");

            migrationBuilder.DropTable(
                name: "contacts_consent_evidence");

            migrationBuilder.DropTable(
                name: "contacts_consents");

            migrationBuilder.DropTable(
                name: "contacts_engagements");

            migrationBuilder.DropTable(
                name: "contacts_suppressions");

            migrationBuilder.DropColumn(
                name: "DeletionRequestedAtTicks",
                table: "contacts_contacts");

            migrationBuilder.DropColumn(
                name: "DoNotSellOrShare",
                table: "contacts_contacts");

            migrationBuilder.DropColumn(
                name: "GlobalPrivacyControlAtTicks",
                table: "contacts_contacts");

            migrationBuilder.DropColumn(
                name: "QuietHoursEndTicks",
                table: "contacts_contacts");

            migrationBuilder.DropColumn(
                name: "QuietHoursStartTicks",
                table: "contacts_contacts");
        }
    }
}
