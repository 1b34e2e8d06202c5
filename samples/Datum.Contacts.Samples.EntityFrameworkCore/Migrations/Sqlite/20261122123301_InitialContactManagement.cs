using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Datum.Contacts.Samples.EntityFrameworkCore.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialContactManagement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "contacts_audit_log",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OccurredAtTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorKind = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", nullable: false),
                    EntityType = table.Column<string>(type: "TEXT", nullable: false),
                    EntityId = table.Column<string>(type: "TEXT", nullable: false),
                    Changes = table.Column<string>(type: "TEXT", nullable: false),
                    CorrelationId = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_audit_log", x => new { x.TenantId, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "contacts_contacts",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    FirstName = table.Column<string>(type: "TEXT", nullable: true),
                    LastName = table.Column<string>(type: "TEXT", nullable: true),
                    Title = table.Column<string>(type: "TEXT", nullable: true),
                    Company = table.Column<string>(type: "TEXT", nullable: true),
                    Email = table.Column<string>(type: "TEXT", nullable: true),
                    EmailNormalized = table.Column<string>(type: "TEXT", nullable: true),
                    Phone = table.Column<string>(type: "TEXT", nullable: true),
                    Type = table.Column<string>(type: "TEXT", nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    Frequency = table.Column<int>(type: "INTEGER", nullable: true),
                    TimeZone = table.Column<string>(type: "TEXT", nullable: true),
                    FoldedFirstName = table.Column<string>(type: "TEXT", nullable: true),
                    FoldedLastName = table.Column<string>(type: "TEXT", nullable: true),
                    FoldedTitle = table.Column<string>(type: "TEXT", nullable: true),
                    FoldedCompany = table.Column<string>(type: "TEXT", nullable: true),
                    FoldedEmail = table.Column<string>(type: "TEXT", nullable: true),
                    FoldedPhone = table.Column<string>(type: "TEXT", nullable: true),
                    FoldedType = table.Column<string>(type: "TEXT", nullable: true),
                    FoldedTimeZone = table.Column<string>(type: "TEXT", nullable: true),
                    SortLastName = table.Column<string>(type: "TEXT", nullable: false),
                    SortEmail = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAtTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAtTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    LastEngagementAtTicks = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_contacts", x => new { x.TenantId, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "contacts_custom_fields",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NameKey = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_custom_fields", x => new { x.TenantId, x.NameKey });
                });

            migrationBuilder.CreateTable(
                name: "contacts_contact_channels",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_contact_channels", x => new { x.TenantId, x.ContactId, x.Channel });
                    table.ForeignKey(
                        name: "FK_contacts_contact_channels_contacts_contacts_TenantId_ContactId",
                        columns: x => new { x.TenantId, x.ContactId },
                        principalTable: "contacts_contacts",
                        principalColumns: new[] { "TenantId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contacts_contact_custom_values",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    TextValue = table.Column<string>(type: "TEXT", nullable: true),
                    FoldedText = table.Column<string>(type: "TEXT", nullable: true),
                    NumberValue = table.Column<string>(type: "TEXT", nullable: true),
                    BooleanValue = table.Column<bool>(type: "INTEGER", nullable: true),
                    DateValue = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_contact_custom_values", x => new { x.TenantId, x.ContactId, x.Name });
                    table.ForeignKey(
                        name: "FK_contacts_contact_custom_values_contacts_contacts_TenantId_ContactId",
                        columns: x => new { x.TenantId, x.ContactId },
                        principalTable: "contacts_contacts",
                        principalColumns: new[] { "TenantId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contacts_contact_social_profiles",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Network = table.Column<string>(type: "TEXT", nullable: false),
                    Handle = table.Column<string>(type: "TEXT", nullable: false),
                    FoldedHandle = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_contact_social_profiles", x => new { x.TenantId, x.ContactId, x.Network });
                    table.ForeignKey(
                        name: "FK_contacts_contact_social_profiles_contacts_contacts_TenantId_ContactId",
                        columns: x => new { x.TenantId, x.ContactId },
                        principalTable: "contacts_contacts",
                        principalColumns: new[] { "TenantId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contacts_contact_tags",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Tag = table.Column<string>(type: "TEXT", nullable: false),
                    FoldedTag = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contacts_contact_tags", x => new { x.TenantId, x.ContactId, x.Position });
                    table.ForeignKey(
                        name: "FK_contacts_contact_tags_contacts_contacts_TenantId_ContactId",
                        columns: x => new { x.TenantId, x.ContactId },
                        principalTable: "contacts_contacts",
                        principalColumns: new[] { "TenantId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_audit_log_TenantId_EntityType_EntityId_OccurredAtTicks_Id",
                table: "contacts_audit_log",
                columns: new[] { "TenantId", "EntityType", "EntityId", "OccurredAtTicks", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_audit_log_TenantId_OccurredAtTicks_Id",
                table: "contacts_audit_log",
                columns: new[] { "TenantId", "OccurredAtTicks", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contact_custom_values_TenantId_Name_DateValue",
                table: "contacts_contact_custom_values",
                columns: new[] { "TenantId", "Name", "DateValue" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contact_custom_values_TenantId_Name_FoldedText",
                table: "contacts_contact_custom_values",
                columns: new[] { "TenantId", "Name", "FoldedText" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contact_custom_values_TenantId_Name_NumberValue",
                table: "contacts_contact_custom_values",
                columns: new[] { "TenantId", "Name", "NumberValue" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contact_tags_TenantId_FoldedTag",
                table: "contacts_contact_tags",
                columns: new[] { "TenantId", "FoldedTag" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contacts_TenantId_CreatedAtTicks_Id",
                table: "contacts_contacts",
                columns: new[] { "TenantId", "CreatedAtTicks", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contacts_TenantId_EmailNormalized",
                table: "contacts_contacts",
                columns: new[] { "TenantId", "EmailNormalized" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contacts_TenantId_FoldedCompany",
                table: "contacts_contacts",
                columns: new[] { "TenantId", "FoldedCompany" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contacts_TenantId_LastEngagementAtTicks",
                table: "contacts_contacts",
                columns: new[] { "TenantId", "LastEngagementAtTicks" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contacts_TenantId_SortEmail_Id",
                table: "contacts_contacts",
                columns: new[] { "TenantId", "SortEmail", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contacts_TenantId_SortLastName_Id",
                table: "contacts_contacts",
                columns: new[] { "TenantId", "SortLastName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contacts_TenantId_Status",
                table: "contacts_contacts",
                columns: new[] { "TenantId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_contacts_contacts_TenantId_UpdatedAtTicks_Id",
                table: "contacts_contacts",
                columns: new[] { "TenantId", "UpdatedAtTicks", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contacts_audit_log");

            migrationBuilder.DropTable(
                name: "contacts_contact_channels");

            migrationBuilder.DropTable(
                name: "contacts_contact_custom_values");

            migrationBuilder.DropTable(
                name: "contacts_contact_social_profiles");

            migrationBuilder.DropTable(
                name: "contacts_contact_tags");

            migrationBuilder.DropTable(
                name: "contacts_custom_fields");

            migrationBuilder.DropTable(
                name: "contacts_contacts");
        }
    }
}
