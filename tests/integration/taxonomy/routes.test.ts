import { beforeAll, describe, expect, it, vi } from "vitest";
import type { StaffSession } from "@/lib/auth/session";
import { createSection, listSectionsForStaff } from "@/lib/sections/mutations";
import { createTag } from "@/lib/tags/mutations";
import { makeStaff } from "../../fixtures/builders";
import { publishedArticle, sectionOrder, tagRow } from "./helpers";

// The route handlers are thin: a session, a form, one call into lib/, a 303 back to the page. The
// session is stood in for here (Auth.js needs a request context); everything below it is real.

let session: StaffSession | null = null;
vi.mock("@/lib/auth/session", async () => (await import("../../fixtures/session-mock")).sessionModuleAnswering(() => session));

const { POST: createSectionRoute } = await import("@/app/api/staff/sections/route");
const { POST: updateSectionRoute } = await import("@/app/api/staff/sections/[id]/route");
const { POST: sectionOperation } = await import("@/app/api/staff/sections/[id]/[operation]/route");
const { POST: createTagRoute } = await import("@/app/api/staff/tags/route");
const { POST: updateTagRoute } = await import("@/app/api/staff/tags/[id]/route");
const { POST: mergeTagRoute } = await import("@/app/api/staff/tags/[id]/merge/route");
const { POST: deleteTagRoute } = await import("@/app/api/staff/tags/[id]/delete/route");

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let admin: Staff;
let editor: Staff;
let writer: Staff;

beforeAll(async () => {
  admin = await makeStaff("admin", "Ada Routes");
  editor = await makeStaff("editor", "Rita Routes");
  writer = await makeStaff("writer", "Walt Routes");
});

const as = (staff: Staff | null) => {
  session = staff && { id: staff.id, name: staff.name, email: `${staff.slug}@example.test`, role: staff.role, actor: { kind: "staff", id: staff.id, role: staff.role } };
};

const form = (fields: Record<string, string> = {}) =>
  new Request("http://localhost/api/staff/x", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });

const params = <T extends Record<string, string>>(values: T) => ({ params: Promise.resolve(values) });

const location = (response: Response) => response.headers.get("location");

describe("the section routes", () => {
  it("create, save, move and delete, answering 303 back to /editor/sections", async () => {
    as(admin);
    const created = await createSectionRoute(form({ name: "Routed", slug: "", description: "Via the form" }));
    expect(created.status).toBe(303);
    expect(location(created)).toBe("/editor/sections?done=created");
    const other = await createSection(admin, { name: "Second routed" });
    const { id } = (await listSectionsForStaff(admin)).find((s) => s.slug === "routed")!;
    const saved = await updateSectionRoute(form({ name: "Routed", slug: "routed-new", description: "" }), params({ id }));
    expect(location(saved)).toBe("/editor/sections?done=saved");
    const moved = await sectionOperation(form(), params({ id: other.id, operation: "move-up" }));
    expect(location(moved)).toBe("/editor/sections?done=moved");
    expect(await sectionOrder()).toEqual(["second-routed", "routed-new"]);
    const deleted = await sectionOperation(form(), params({ id, operation: "delete" }));
    expect(location(deleted)).toBe("/editor/sections?done=deleted");
    expect(await sectionOrder()).toEqual(["second-routed"]);
  });

  it("sends a person's mistake back with the message: 400 and 409 alike", async () => {
    as(admin);
    const invalid = await createSectionRoute(form({ name: "", slug: "Bad Slug" }));
    expect(invalid.status).toBe(303);
    expect(location(invalid)).toBe(`/editor/sections?error=${encodeURIComponent("name: a name is required")}`);
    const used = await createSection(admin, { name: "In use" });
    await publishedArticle("in-use");
    const refused = await sectionOperation(form(), params({ id: used.id, operation: "delete" }));
    expect(refused.status).toBe(303);
    expect(decodeURIComponent(location(refused)!)).toBe("/editor/sections?error=The section “In use” is used by 1 article. Move it to another section first, then delete it.");
  });

  it("refuses the anonymous with 401, and writers and editors with 403; an unknown section is 404, an unknown operation too", async () => {
    const nobody = "00000000-0000-4000-8000-000000000000";
    as(null);
    expect((await createSectionRoute(form({ name: "Anon" }))).status).toBe(401);
    for (const staff of [writer, editor]) {
      as(staff);
      expect((await createSectionRoute(form())).status).toBe(403);
      expect((await updateSectionRoute(form(), params({ id: nobody }))).status).toBe(403);
      for (const operation of ["move-up", "move-down", "delete"]) expect((await sectionOperation(form(), params({ id: nobody, operation }))).status).toBe(403);
    }
    as(admin);
    expect((await updateSectionRoute(form({ name: "Ghost" }), params({ id: nobody }))).status).toBe(404);
    expect((await sectionOperation(form(), params({ id: nobody, operation: "delete" }))).status).toBe(404);
    expect((await sectionOperation(form(), params({ id: nobody, operation: "explode" }))).status).toBe(404);
  });
});

describe("the tag routes", () => {
  it("create, save and merge, answering 303 back to /editor/tags", async () => {
    as(editor);
    expect(location(await createTagRoute(form({ name: "Route tag" })))).toBe("/editor/tags?done=created");
    const target = await createTag(editor, { name: "Route target" });
    const source = await createTag(editor, { name: "Route source" });
    expect(location(await updateTagRoute(form({ name: "Route source!", slug: "route-source-2" }), params({ id: source.id })))).toBe("/editor/tags?done=saved");
    expect(location(await mergeTagRoute(form({ into: "route-target" }), params({ id: source.id })))).toBe("/editor/tags?done=merged");
    expect(await tagRow(source.id)).toBeUndefined();
    expect(await tagRow(target.id)).toBeDefined();
    const missing = await mergeTagRoute(form({ into: "nowhere" }), params({ id: target.id }));
    expect(decodeURIComponent(location(missing)!)).toBe("/editor/tags?error=into: there is no tag named or at “nowhere”");
  });

  it("delete: sends the unconfirmed back with the 409's message, then deletes once the box is ticked", async () => {
    as(editor);
    const tag = await createTag(editor, { name: "Route doomed" });
    await publishedArticle(null, ["Route doomed"]);
    const unconfirmed = await deleteTagRoute(form(), params({ id: tag.id }));
    expect(unconfirmed.status).toBe(303);
    expect(decodeURIComponent(location(unconfirmed)!)).toMatch(/^\/editor\/tags\?error=The tag “Route doomed” is on 1 article\./);
    expect(await tagRow(tag.id)).toBeDefined();
    expect(location(await deleteTagRoute(form({ confirm: "yes" }), params({ id: tag.id })))).toBe("/editor/tags?done=deleted");
    expect(await tagRow(tag.id)).toBeUndefined();
    expect((await deleteTagRoute(form({ confirm: "yes" }), params({ id: tag.id }))).status).toBe(404);
  });

  it("refuses writers with 403 whatever the id", async () => {
    as(writer);
    const nobody = "00000000-0000-4000-8000-000000000000";
    expect((await createTagRoute(form())).status).toBe(403);
    expect((await updateTagRoute(form(), params({ id: nobody }))).status).toBe(403);
    expect((await mergeTagRoute(form(), params({ id: nobody }))).status).toBe(403);
    expect((await deleteTagRoute(form({ confirm: "yes" }), params({ id: nobody }))).status).toBe(403);
  });
});
