import { inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import { AUDIT_ENTITY_TYPES, AUDIT_PAGE_SIZE, auditActorChoices, listAuditLog } from "@/lib/audit";
import { operator } from "@/lib/auth/permissions";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { createSection, updateSection } from "@/lib/sections/mutations";
import { updateStaffAccess } from "@/lib/staff/mutations";
import { createTag, mergeTag } from "@/lib/tags/mutations";
import { docOf, failure, makeStaff } from "../../fixtures/builders";

// The audit log page's query: admins only, newest first, 50 a page, filtered by entity type and by
// actor, each row in plain words with what it touched.

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let admin: Staff;
let editor: Staff;
let writer: Staff;
let article: { id: string; slug: string };
let section: { id: string };
let tag: { id: string };

beforeAll(async () => {
  const db = await getDb();
  admin = await makeStaff("admin", "Audra Admin");
  editor = await makeStaff("editor", "Ezra Editor");
  writer = await makeStaff("writer", "<b>Wes</b> Writer");
  // the audit filter offers staff with a sign-in
  await db.update(users).set({ passwordHash: "x" }).where(inArray(users.id, [admin.id, editor.id, writer.id]));

  article = await createArticle(editor, { title: "Audited <story>", body: docOf("Text."), status: "published" });
  await createArticle(operator, { title: "Imported at the shell", body: docOf("Text.") });
  section = await createSection(admin, { name: "Audit desk" });
  await updateSection(admin, section.id, { name: "Audit desk", slug: "audit-room" });
  tag = await createTag(editor, { name: "Old tag" });
  await createTag(editor, { name: "New tag" });
  await mergeTag(editor, tag.id, { into: "new-tag" });
  await updateStaffAccess(admin, writer.id, { role: "editor" });
  await db.insert(auditLog).values([
    { action: "staff.sign_in_failed", entityType: "user", entityId: writer.id, actorId: writer.id, ip: "203.0.113.7", details: { email: "wes@example.test", reason: "wrong password" } },
    { action: "article.publish_scheduled", entityType: "article", entityId: article.id, details: { slug: article.slug } },
  ]);
});

describe("listAuditLog", () => {
  it("refuses everyone but admins", async () => {
    for (const actor of [writer, editor]) {
      const error = await failure(listAuditLog(actor));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(error.status).toBe(403);
    }
  });

  it("lists newest first, in plain words, with what each entry touched", async () => {
    const { items } = await listAuditLog(admin);
    const times = items.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const find = (action: string) => items.find((e) => e.action === action)!;

    expect(find("article.create_published")).toMatchObject({ who: "Ezra Editor", what: "created and published the article", target: { label: "Audited <story>", href: `/editor/articles/${article.id}` } });
    expect(find("article.publish_scheduled")).toMatchObject({ who: "system", what: "published the scheduled article", target: { href: `/editor/articles/${article.id}` } });
    expect(items.find((e) => e.action === "article.create" && e.who === "operator")).toMatchObject({ target: { label: "Imported at the shell" } });
    expect(find("section.update")).toMatchObject({ who: "Audra Admin", what: "changed the section: address audit-desk → audit-room", target: { label: "Audit desk", href: null } });
    expect(find("tag.merge")).toMatchObject({ what: "merged the tag into “New tag”, moving 0 articles", target: { label: "Old tag" } });
    expect(find("staff.role_change")).toMatchObject({ who: "Audra Admin", what: "changed the role from writer to editor of", target: { label: "<b>Wes</b> Writer" } });
    // a failed sign-in names the account tried, not who tried it; the address is kept
    expect(find("staff.sign_in_failed")).toMatchObject({ who: "a visitor", target: { label: "<b>Wes</b> Writer" }, ip: "203.0.113.7" });
    expect(find("section.create").ip).toBeNull();
  });

  it("filters by entity type", async () => {
    for (const entityType of AUDIT_ENTITY_TYPES) {
      const { items } = await listAuditLog(admin, { entityType });
      expect(items.every((e) => e.action.startsWith(entityType === "user" ? "staff." : `${entityType}.`)), entityType).toBe(true);
    }
    expect((await listAuditLog(admin, { entityType: "section" })).items.map((e) => e.action).sort()).toEqual(["section.create", "section.update"]);
    expect((await listAuditLog(admin, { entityType: "tag" })).total).toBe(3);
    expect((await listAuditLog(admin, { entityType: "settings" })).total).toBe(0);
  });

  it("filters by actor, with 'system' for entries nobody signed in made, and combines filters", async () => {
    const byAdmin = await listAuditLog(admin, { actor: admin.id });
    expect(byAdmin.items.map((e) => e.action).sort()).toEqual(["section.create", "section.update", "staff.role_change"]);
    const bySystem = await listAuditLog(admin, { actor: "system" });
    expect(bySystem.items.map((e) => e.who).sort()).toEqual(["operator", "system"]);
    const editorTags = await listAuditLog(admin, { actor: editor.id, entityType: "tag" });
    expect(editorTags.items.map((e) => e.action).sort()).toEqual(["tag.create", "tag.create", "tag.merge"]);
    expect((await auditActorChoices(admin)).map((p) => p.name)).toEqual(expect.arrayContaining(["Audra Admin", "Ezra Editor", "<b>Wes</b> Writer"]));
  });

  it("refuses an unknown entity type or a malformed actor with 400", async () => {
    for (const filter of [{ entityType: "database" }, { entityType: "users' or 1=1" }, { actor: "not-a-uuid" }, { actor: "' or ''='" }]) {
      const error = await failure(listAuditLog(admin, filter));
      expect(error, JSON.stringify(filter)).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
    }
  });

  it("pages 50 at a time", async () => {
    const db = await getDb();
    const base = Date.now() - 86_400_000;
    await db.insert(auditLog).values(Array.from({ length: 120 }, (_, i) => ({ action: "media.update", entityType: "media", entityId: `bulk-${i}`, createdAt: new Date(base - i * 1000) })));
    const first = await listAuditLog(admin, { entityType: "media" });
    expect(first).toMatchObject({ total: 120, totalPages: 3, page: 1 });
    expect(first.items).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.items[0]).toMatchObject({ what: "edited the details of the image", target: { label: "an image" } });
    const third = await listAuditLog(admin, { entityType: "media", page: 3 });
    expect(third.items).toHaveLength(20);
    expect(third.items.at(-1)!.at.getTime()).toBe(base - 119_000);
    expect((await listAuditLog(admin, { entityType: "media", page: 4 })).items).toEqual([]);
  });
});
