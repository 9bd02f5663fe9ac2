import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, sections, tags, taxonomyRedirects } from "@/db/schema";
import { auditActorChoices, listAuditLog } from "@/lib/audit";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { createSection, deleteSection, listSectionsForStaff, moveSection, updateSection } from "@/lib/sections/mutations";
import { createTag, deleteTag, listTagsForStaff, mergeTag, updateTag } from "@/lib/tags/mutations";
import { countRows, failure, makeStaff } from "../../fixtures/builders";

// Sections and tags are managed by editors and admins (taxonomy:manage); writers are refused every
// call with 403, before any lookup, so they never learn whether an id exists. The audit log is for
// admins only.

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

describe("a writer", () => {
  const calls: Record<string, (id: string) => Promise<unknown>> = {
    listSectionsForStaff: () => listSectionsForStaff(writer),
    createSection: () => createSection(writer, { name: "Writer section" }),
    updateSection: (id) => updateSection(writer, id, { name: "Renamed by writer" }),
    "moveSection up": (id) => moveSection(writer, id, "up"),
    "moveSection down": (id) => moveSection(writer, id, "down"),
    deleteSection: (id) => deleteSection(writer, id),
    listTagsForStaff: () => listTagsForStaff(writer),
    createTag: () => createTag(writer, { name: "Writer tag" }),
    updateTag: (id) => updateTag(writer, id, { name: "Renamed by writer" }),
    mergeTag: (id) => mergeTag(writer, id, { into: other.slug }),
    deleteTag: (id) => deleteTag(writer, id, { confirm: "yes" }),
    listAuditLog: () => listAuditLog(writer),
    auditActorChoices: () => auditActorChoices(writer),
  };

  for (const [name, call] of Object.entries(calls)) {
    it(`is refused ${name} with 403, for a real id and for nobody's, and nothing is written`, async () => {
      const before = await countRows(tables);
      for (const id of [name.includes("Tag") ? tag.id : section.id, nobody, "not-a-uuid"]) {
        const error = await failure(call(id));
        expect(error, `${name}(${id})`).toBeInstanceOf(ForbiddenError);
        expect(error.status).toBe(403);
      }
      expect(await countRows(tables)).toEqual(before);
    });
  }
});

describe("editors and admins", () => {
  it("may list, and get 404 (not 403) for a section or tag that does not exist", async () => {
    for (const actor of [editor, admin]) {
      expect((await listSectionsForStaff(actor)).map((s) => s.slug)).toContain(section.slug);
      expect((await listTagsForStaff(actor)).items.map((t) => t.slug)).toContain(tag.slug);
      for (const call of [
        () => updateSection(actor, nobody, { name: "Ghost" }),
        () => moveSection(actor, nobody, "up"),
        () => deleteSection(actor, nobody),
        () => deleteSection(actor, "not-a-uuid"),
        () => updateTag(actor, nobody, { name: "Ghost" }),
        () => mergeTag(actor, nobody, { into: other.slug }),
        () => deleteTag(actor, nobody, { confirm: "yes" }),
        () => deleteTag(actor, "not-a-uuid"),
      ]) {
        const error = await failure(call());
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error.status).toBe(404);
      }
    }
  });

  it("may each create and rename sections and tags", async () => {
    for (const actor of [editor, admin]) {
      const s = await createSection(actor, { name: `Made by ${actor.name}` });
      await updateSection(actor, s.id, { name: `Renamed by ${actor.name}` });
      const t = await createTag(actor, { name: `Tag by ${actor.name}` });
      await updateTag(actor, t.id, { name: `Tag renamed by ${actor.name}` });
    }
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
