import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { StaffSession } from "@/lib/auth/session";
import { createSection } from "@/lib/sections/mutations";
import { createTag } from "@/lib/tags/mutations";
import { makeStaff } from "../../fixtures/builders";
import { publishedArticle } from "./helpers";

// The staff pages render on the server from lib/ alone: plain forms, every typed name escaped by
// React. The session is stood in for (Auth.js needs a request context).

let session: StaffSession | null = null;
vi.mock("@/lib/auth/session", () => ({ requireStaffSession: async () => session }));

const { default: SectionsPage } = await import("@/app/editor/sections/page");
const { default: TagsPage } = await import("@/app/editor/tags/page");
const { default: AuditPage } = await import("@/app/editor/audit/page");

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let admin: Staff;
let editor: Staff;
let writer: Staff;
const hostile = `<img src=x onerror=alert(1)>`;

beforeAll(async () => {
  admin = await makeStaff("admin", "Pia Pages");
  editor = await makeStaff("editor", "Ed Pages");
  writer = await makeStaff("writer", "Wim Pages");
  await createSection(admin, { name: hostile, description: `"><script>alert(2)</script>` });
  await createSection(admin, { name: "Plain section" });
  await createTag(editor, { name: hostile });
});

const as = (staff: Staff) => {
  session = { id: staff.id, name: staff.name, email: `${staff.slug}@example.test`, role: staff.role, actor: { kind: "staff", id: staff.id, role: staff.role } };
};

const render = async (page: (props: { searchParams: Promise<Record<string, string>> }) => Promise<React.ReactElement>, params: Record<string, string> = {}) =>
  renderToStaticMarkup(await page({ searchParams: Promise.resolve(params) }));

describe("the taxonomy and audit pages", () => {
  it("show sections to admins and tags to editors, escaping every name", async () => {
    as(admin);
    const sections = await render(SectionsPage, { error: "<b>bad</b>" });
    expect(sections).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(sections).toContain("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(sections).not.toContain("<img src=x");
    expect(sections).not.toContain("<script>alert");
    expect(sections).not.toContain("<b>bad</b>");
    expect(sections).toContain('action="/api/staff/sections"');
    expect(sections).toMatch(/Move down/);
    expect(sections).toContain('href="/editor/sections"');
    as(editor);
    const tags = await render(TagsPage, { q: "img" });
    expect(tags).toContain('href="/editor/tags"');
    expect(tags).not.toContain('href="/editor/sections"');
    expect(tags).not.toContain('href="/editor/audit"');
    expect(tags).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(tags).not.toContain("<img src=x");
    expect(tags).toMatch(/\/merge"/);
  });

  it("offer to delete a tag, asking for a tick only when articles carry it", async () => {
    as(editor);
    const unused = await createTag(editor, { name: "Pages unused" });
    const used = await createTag(editor, { name: "Pages used" });
    await publishedArticle(null, ["Pages used"]);
    const form = (html: string, id: string) => html.match(new RegExp(`<form[^>]*action="/api/staff/tags/${id}/delete"[^>]*>[\\s\\S]*?</form>`))?.[0] ?? "";
    const unusedForm = form(await render(TagsPage, { q: "Pages unused" }), unused.id);
    expect(unusedForm).toMatch(/Delete tag/);
    expect(unusedForm).not.toContain('name="confirm"');
    const usedForm = form(await render(TagsPage, { q: "Pages used" }), used.id);
    expect(usedForm).toMatch(/<input type="checkbox" required="" name="confirm" value="yes"\/>Take it off 1 article</);
  });

  it("show the audit log to admins only, with the nav link, and sections to no one else", async () => {
    as(admin);
    const audit = await render(AuditPage, { entity: "section" });
    expect(audit).toContain("created the section");
    expect(audit).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(audit).not.toContain("<img src=x");
    expect(audit).toContain('href="/editor/audit"');
    expect(audit).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    for (const [staff, page] of [[editor, AuditPage], [editor, SectionsPage], [writer, AuditPage], [writer, SectionsPage], [writer, TagsPage]] as const) {
      as(staff);
      await expect(render(page)).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
    }
  });
});
