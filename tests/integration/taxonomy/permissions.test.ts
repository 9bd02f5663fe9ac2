import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, sections, tags, taxonomyRedirects } from "@/db/schema";
import { auditActorChoices, listAuditLog } from "@/lib/audit";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { createSection, deleteSection, listSectionsForStaff, moveSection, updateSection } from "@/lib/sections/mutations";
import { createTag, deleteTag, listTagsForStaff, mergeTag, updateTag } from "@/lib/tags/mutations";
import { countRows, failure, makeStaff } from "../../fixtures/builders";

// Tags are managed by editors and admins (tags:manage), sections by admins only (sections:manage,
// as DESIGN.md has it: the site's navigation goes with staff and settings). Anyone else is refused
// every call with 403, before any lookup, so they never learn whether an id exists. The audit log is
// for admins only.

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let writer: Staff;
let editor: Staff;
let admin: Staff;
let section: { id: string; slug: string };
let tag: { id: string; slug: string };
let other: { id: string; slug: string };
const nobody = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  writer = await makeStaff("writer", "Wanda Writer");
  editor = await makeStaff("editor", "Eddie Editor");
  admin = await makeStaff("admin", "Adele Admin");
  section = await createSection(admin, { name: "Guarded" });
  tag = await createTag(admin, { name: "Guarded tag" });
  other = await createTag(admin, { name: "Other tag" });
});

const tables = { sections, tags, taxonomyRedirects, auditLog };

const sectionCalls = (actor: Staff): Record<string, (id: string) => Promise<unknown>> => ({
  listSectionsForStaff: () => listSectionsForStaff(actor),
  createSection: () => createSection(actor, { name: `Section by ${actor.name}` }),
  updateSection: (id) => updateSection(actor, id, { name: `Renamed by ${actor.name}` }),
  "moveSection up": (id) => moveSection(actor, id, "up"),
  "moveSection down": (id) => moveSection(actor, id, "down"),
  deleteSection: (id) => deleteSection(actor, id),
});

const tagCalls = (actor: Staff): Record<string, (id: string) => Promise<unknown>> => ({
  listTagsForStaff: () => listTagsForStaff(actor),
  createTag: () => createTag(actor, { name: `Tag by ${actor.name}` }),
  updateTag: (id) => updateTag(actor, id, { name: `Renamed by ${actor.name}` }),
  mergeTag: (id) => mergeTag(actor, id, { into: other.slug }),
  deleteTag: (id) => deleteTag(actor, id, { confirm: "yes" }),
});

function refusesEach(who: string, calls: () => Record<string, (id: string) => Promise<unknown>>) {
  it(`refuses ${who} each call with 403, for a real id and for nobody's, and writes nothing`, async () => {
    const before = await countRows(tables);
    for (const [name, call] of Object.entries(calls())) {
      for (const id of [name.includes("Tag") ? tag.id : section.id, nobody, "not-a-uuid"]) {
        const error = await failure(call(id));
        expect(error, `${name}(${id})`).toBeInstanceOf(ForbiddenError);
        expect(error.status).toBe(403);
      }
    }
    expect(await countRows(tables)).toEqual(before);
  });
}

describe("a writer", () => {
  refusesEach("a writer sections, tags and the audit log", () => ({
    ...sectionCalls(writer),
    ...tagCalls(writer),
    listAuditLog: () => listAuditLog(writer),
    auditActorChoices: () => auditActorChoices(writer),
  }));
});

describe("an editor", () => {
  refusesEach("an editor sections", () => sectionCalls(editor));

  it("may list, create and rename tags, and gets 404 (not 403) for a tag that does not exist", async () => {
    expect((await listTagsForStaff(editor)).items.map((t) => t.slug)).toContain(tag.slug);
    const made = await createTag(editor, { name: "Tag by an editor" });
    await updateTag(editor, made.id, { name: "Tag renamed by an editor" });
    for (const call of [() => updateTag(editor, nobody, { name: "Ghost" }), () => mergeTag(editor, nobody, { into: other.slug }), () => deleteTag(editor, nobody, { confirm: "yes" }), () => deleteTag(editor, "not-a-uuid")]) {
      const error = await failure(call());
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.status).toBe(404);
    }
  });
});

describe("an admin", () => {
  it("may list, and gets 404 (not 403) for a section or tag that does not exist", async () => {
    expect((await listSectionsForStaff(admin)).map((s) => s.slug)).toContain(section.slug);
    expect((await listTagsForStaff(admin)).items.map((t) => t.slug)).toContain(tag.slug);
    for (const call of [
      () => updateSection(admin, nobody, { name: "Ghost" }),
      () => moveSection(admin, nobody, "up"),
      () => deleteSection(admin, nobody),
      () => deleteSection(admin, "not-a-uuid"),
      () => updateTag(admin, nobody, { name: "Ghost" }),
      () => mergeTag(admin, nobody, { into: other.slug }),
      () => deleteTag(admin, nobody, { confirm: "yes" }),
      () => deleteTag(admin, "not-a-uuid"),
    ]) {
      const error = await failure(call());
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.status).toBe(404);
    }
  });

  it("may create and rename sections and tags", async () => {
    const s = await createSection(admin, { name: "Made by an admin" });
    await updateSection(admin, s.id, { name: "Renamed by an admin" });
    const t = await createTag(admin, { name: "Tag by an admin" });
    await updateTag(admin, t.id, { name: "Tag renamed by an admin" });
  });
});

describe("the audit log", () => {
  it("is refused to editors as well as writers", async () => {
    for (const actor of [writer, editor]) {
      expect(await failure(listAuditLog(actor))).toBeInstanceOf(ForbiddenError);
      expect(await failure(auditActorChoices(actor))).toBeInstanceOf(ForbiddenError);
    }
    expect((await listAuditLog(admin)).total).toBeGreaterThan(0);
  });
});
