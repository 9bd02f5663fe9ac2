import fs from "node:fs";
import { count } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articleAuthors, articles, users, type Article } from "@/db/schema";
import { dashboardQueues, editorChoices, listStaffArticles, parseArticleFilters, STAFF_PAGE_SIZE, type ArticleFilters } from "@/lib/articles/staff-list";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { searchArticles } from "@/lib/search/queries";
import { docOf, failure, makeStaff } from "../../fixtures/builders";
import { makeSection, type Staff } from "./helpers";

// The newsroom's lists: writers see only the articles they started or are bylined on, editors see
// all; filters by status, section, author and headline text (LIKE wildcards taken literally, and
// hostile strings harmless); bad filter values are 400s, never database errors; 25 a page.

const SQLI_CORPUS = "/work/shared/security-corpus/sqli.txt";

let w1: Staff;
let w2: Staff;
let editor: Staff;
let filler: Staff;
let s1: Awaited<ReturnType<typeof makeSection>>;
let s2: Awaited<ReturnType<typeof makeSection>>;
const ids: Record<string, string> = {};

type Seed = { title: string; createdBy: Staff; authors?: Staff[]; status?: Article["status"]; sectionId?: string | null; publishedAt?: Date | null; updatedAt?: Date; scheduledAt?: Date | null };

let slugSequence = 0;
async function seed(article: Seed): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .insert(articles)
    .values({
      slug: `seeded-${++slugSequence}`,
      title: article.title,
      body: docOf("x"),
      bodyText: "x",
      status: article.status ?? "draft",
      createdBy: article.createdBy.id,
      sectionId: article.sectionId ?? null,
      publishedAt: article.publishedAt ?? (article.status === "published" ? new Date(Date.now() - 60_000) : null),
      scheduledAt: article.scheduledAt ?? (article.status === "scheduled" ? new Date(Date.now() + 3_600_000) : null),
      ...(article.updatedAt ? { updatedAt: article.updatedAt } : {}),
    })
    .returning({ id: articles.id });
  const authors = article.authors ?? [article.createdBy];
  if (authors.length > 0) await db.insert(articleAuthors).values(authors.map((a, position) => ({ articleId: row!.id, userId: a.id, position })));
  return row!.id;
}

const filters = (f: Partial<ArticleFilters> = {}): ArticleFilters => ({ sort: "updated", page: 1, ...f });
const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
const named = (...names: string[]) => names.map((n) => ids[n]!).sort();

beforeAll(async () => {
  w1 = await makeStaff("writer", "Wanda One");
  w2 = await makeStaff("writer", "Walter Two");
  editor = await makeStaff("editor", "Elsa Editor");
  filler = await makeStaff("writer", "Filler Writer");
  s1 = await makeSection("Politics", 2);
  s2 = await makeSection("Economy", 1);
  ids.a1 = await seed({ title: "Visible A1 council budget", createdBy: w1, sectionId: s1.id });
  ids.a2 = await seed({ title: "Visible A2 harbour", createdBy: w1, status: "review", sectionId: s2.id });
  ids.b1 = await seed({ title: "Visible B1 joint piece", createdBy: w2, authors: [w2, w1], sectionId: s2.id });
  ids.b2 = await seed({ title: "Visible B2 budget vote", createdBy: w2, status: "published", sectionId: s1.id });
  ids.e1 = await seed({ title: "Visible E1 scheduled", createdBy: editor, authors: [w2], status: "scheduled" });
  ids.e2 = await seed({ title: "Visible E2 editor draft", createdBy: editor, authors: [] });
  ids.percent = await seed({ title: "Discount 50% off", createdBy: filler });
  ids.fifty = await seed({ title: "Discount 50 off", createdBy: filler });
  ids.underscore = await seed({ title: "snake_case guide", createdBy: filler });
  ids.noUnderscore = await seed({ title: "snakeXcase guide", createdBy: filler });
  ids.backslash = await seed({ title: "C:\\path explained", createdBy: filler });
});

describe("who sees what", () => {
  it("writers see only the articles they started or are bylined on; editors see every one", async () => {
    const q = "Visible";
    expect(idsOf((await listStaffArticles(w1, filters({ q }))).rows)).toEqual(named("a1", "a2", "b1"));
    expect(idsOf((await listStaffArticles(w2, filters({ q }))).rows)).toEqual(named("b1", "b2", "e1"));
    const all = await listStaffArticles(editor, filters({ q }));
    expect(idsOf(all.rows)).toEqual(named("a1", "a2", "b1", "b2", "e1", "e2"));
    expect(all.total).toBe(6);
    // a writer's total counts only what they may see
    expect((await listStaffArticles(w1, filters())).total).toBe(3);
    const b1 = all.rows.find((r) => r.id === ids.b1)!;
    expect(b1).toMatchObject({ title: "Visible B1 joint piece", status: "draft", section: "Economy", authors: "Walter Two, Wanda One" });
    expect(all.rows.find((r) => r.id === ids.e2)).toMatchObject({ authors: "", section: null });
  });

  it("dashboard queues: my drafts for everyone; review, scheduled and published limited to a writer's own", async () => {
    const one = await dashboardQueues(w1);
    expect(idsOf(one.drafts)).toEqual(named("a1", "b1"));
    expect(idsOf(one.review)).toEqual(named("a2"));
    expect(one.scheduled).toEqual([]);
    expect(one.published).toEqual([]);

    const two = await dashboardQueues(w2);
    expect(idsOf(two.drafts)).toEqual(named("b1"));
    expect(two.review).toEqual([]);
    expect(idsOf(two.scheduled)).toEqual(named("e1"));
    expect(idsOf(two.published)).toEqual(named("b2"));

    const ed = await dashboardQueues(editor);
    expect(idsOf(ed.drafts)).toEqual(named("e2"));
    expect(idsOf(ed.review)).toContain(ids.a2);
    expect(idsOf(ed.scheduled)).toContain(ids.e1);
    expect(idsOf(ed.published)).toContain(ids.b2);
  });

  it("a staff member with no articles sees empty lists", async () => {
    const newcomer = await makeStaff("writer");
    expect(await listStaffArticles(newcomer, filters())).toEqual({ rows: [], total: 0, totalPages: 1 });
    expect(await dashboardQueues(newcomer)).toEqual({ drafts: [], review: [], scheduled: [], published: [] });
  });
});

describe("filters", () => {
  it("by status, section and author, alone and together, within what the actor may see", async () => {
    expect(idsOf((await listStaffArticles(editor, filters({ q: "Visible", status: "draft" }))).rows)).toEqual(named("a1", "b1", "e2"));
    expect(idsOf((await listStaffArticles(editor, filters({ status: "review" }))).rows)).toEqual(named("a2"));
    expect(idsOf((await listStaffArticles(editor, filters({ section: s1.id }))).rows)).toEqual(named("a1", "b2"));
    expect(idsOf((await listStaffArticles(editor, filters({ author: w1.id }))).rows)).toEqual(named("a1", "a2", "b1"));
    expect(idsOf((await listStaffArticles(editor, filters({ author: w2.id, status: "draft" }))).rows)).toEqual(named("b1"));
    expect(idsOf((await listStaffArticles(editor, filters({ section: s2.id, author: w1.id, status: "review" }))).rows)).toEqual(named("a2"));
    // a writer filtering by someone else sees only the overlap with their own
    expect(idsOf((await listStaffArticles(w1, filters({ author: w2.id }))).rows)).toEqual(named("b1"));
    expect(idsOf((await listStaffArticles(w1, filters({ status: "published" }))).rows)).toEqual([]);
    expect(idsOf((await listStaffArticles(w1, filters({ author: editor.id }))).rows)).toEqual([]);
  });

  it("by headline text, case-insensitively", async () => {
    expect(idsOf((await listStaffArticles(editor, filters({ q: "BUDGET" }))).rows)).toEqual(named("a1", "b2"));
    expect(idsOf((await listStaffArticles(w1, filters({ q: "budget" }))).rows)).toEqual(named("a1"));
    expect(idsOf((await listStaffArticles(editor, filters({ q: "  harbour  " }))).rows)).toEqual(named("a2"));
  });

  it("takes %, _ and \\ in the text literally", async () => {
    expect(idsOf((await listStaffArticles(editor, filters({ q: "50%" }))).rows)).toEqual(named("percent"));
    expect(idsOf((await listStaffArticles(editor, filters({ q: "%" }))).rows)).toEqual(named("percent"));
    expect(idsOf((await listStaffArticles(editor, filters({ q: "e_c" }))).rows)).toEqual(named("underscore"));
    expect(idsOf((await listStaffArticles(editor, filters({ q: "_" }))).rows)).toEqual(named("underscore"));
    expect(idsOf((await listStaffArticles(editor, filters({ q: "C:\\path" }))).rows)).toEqual(named("backslash"));
    expect(idsOf((await listStaffArticles(editor, filters({ q: "\\" }))).rows)).toEqual(named("backslash"));
  });

  it("survives every line of the SQL injection corpus as q (and as every other parameter), without widening results", async () => {
    const lines = fs
      .readFileSync(SQLI_CORPUS, "utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"));
    expect(lines.length).toBeGreaterThan(50);
    const db = await getDb();
    const [articlesBefore] = await db.select({ n: count() }).from(articles);
    const rolesBefore = await db.select({ id: users.id, role: users.role }).from(users);

    for (const line of lines) {
      // straight to the list (the 200-character cap bypassed): never throws, and only titles that contain the text
      for (const actor of [editor, w1]) {
        const result = await listStaffArticles(actor, filters({ q: line }));
        for (const row of result.rows) expect(row.title.toLowerCase(), line).toContain(line.trim().toLowerCase());
      }
      // through the URL parser: accepted, or refused with a 400 (never anything else)
      for (const key of ["q", "status", "sort", "page", "section", "author"]) {
        let parsed: ArticleFilters;
        try {
          parsed = parseArticleFilters({ [key]: line });
        } catch (error) {
          expect(error, `${key}=${line}`).toBeInstanceOf(ValidationError);
          continue;
        }
        await listStaffArticles(editor, parsed);
      }
      // and the reader search (full-text syntax) never throws either
      await searchArticles(line, 1);
    }

    const [articlesAfter] = await db.select({ n: count() }).from(articles);
    expect(articlesAfter).toEqual(articlesBefore);
    expect(await db.select({ id: users.id, role: users.role }).from(users)).toEqual(rolesBefore);
  });

  it("drops control characters from the text instead of failing (PostgreSQL cannot take NUL)", async () => {
    expect(idsOf((await listStaffArticles(editor, filters({ q: "bud\u0000get" }))).rows)).toEqual(named("a1", "b2"));
  });
});

describe("parseArticleFilters", () => {
  it("reads good values and defaults the rest; empty values count as absent", () => {
    expect(parseArticleFilters({})).toEqual({ sort: "updated", page: 1 });
    expect(parseArticleFilters({ status: "review", section: s1.id, author: w1.id, q: "budget", sort: "title", page: "3" })).toEqual({ status: "review", section: s1.id, author: w1.id, q: "budget", sort: "title", page: 3 });
    expect(parseArticleFilters({ status: "", section: "", q: "", sort: "", page: "" })).toEqual({ sort: "updated", page: 1 });
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ["an unknown status", { status: "deleted" }, /status must be one of/],
    ["a status in capitals", { status: "DRAFT" }, /status must be one of/],
    ["an unknown sort", { sort: "id" }, /sort must be/],
    ["an injected sort", { sort: "title; drop table articles" }, /sort must be/],
    ["page 0", { page: "0" }, /./],
    ["a negative page", { page: "-1" }, /./],
    ["a fractional page", { page: "1.5" }, /./],
    ["a page that is not a number", { page: "two" }, /page must be a whole number/],
    ["a page past 10000", { page: "10001" }, /page must be between 1 and 10000/],
    ["a huge page", { page: "99999999999999999999" }, /./],
    ["a section that is not a uuid", { section: "politics" }, /choose a section from the list/],
    ["an author that is not a uuid", { author: "1 OR 1=1" }, /choose an author from the list/],
    ["a text over 200 characters", { q: "x".repeat(201) }, /at most 200 characters/],
  ];
  for (const [name, params, message] of bad) {
    it(`refuses ${name} with 400 rather than clamping it`, async () => {
      const error = await failure(Promise.resolve().then(() => parseArticleFilters(params)));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(message);
    });
  }

  it("refuses a parameter given twice (?status=draft&status=published) rather than ignoring it", async () => {
    for (const params of [{ status: ["draft", "published"] }, { page: ["1", "2"] }, { sort: ["title", "updated"] }]) {
      const error = await failure(Promise.resolve().then(() => parseArticleFilters(params)));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
    }
  });
});

describe("sorting and pages", () => {
  it("sorts by headline, by publication date (newest first, unpublished last) and by last change", async () => {
    const day = 86_400_000;
    const base = Date.now() - 30 * day;
    const rows = [
      { title: "Sortcheck delta", publishedAt: new Date(base + 2 * day), updatedAt: new Date(base + 5 * day), status: "published" as const },
      { title: "Sortcheck alpha", publishedAt: null, updatedAt: new Date(base + 9 * day), status: "draft" as const },
      { title: "Sortcheck charlie", publishedAt: new Date(base + 7 * day), updatedAt: new Date(base + 1 * day), status: "published" as const },
      { title: "Sortcheck bravo", publishedAt: new Date(base + 4 * day), updatedAt: new Date(base + 3 * day), status: "archived" as const },
      { title: "Sortcheck echo", publishedAt: null, updatedAt: new Date(base + 6 * day), status: "review" as const },
    ];
    for (const row of rows) await seed({ ...row, createdBy: filler });
    const titles = async (sort: ArticleFilters["sort"]) => (await listStaffArticles(editor, filters({ q: "Sortcheck", sort }))).rows.map((r) => r.title.replace("Sortcheck ", ""));
    expect(await titles("title")).toEqual(["alpha", "bravo", "charlie", "delta", "echo"]);
    expect((await titles("published")).slice(0, 3)).toEqual(["charlie", "bravo", "delta"]);
    expect((await titles("published")).slice(3).sort()).toEqual(["alpha", "echo"]);
    expect(await titles("updated")).toEqual(["alpha", "echo", "delta", "bravo", "charlie"]);
  });

  it(`shows ${STAFF_PAGE_SIZE} a page, without overlap, and an empty page past the end`, async () => {
    expect(STAFF_PAGE_SIZE).toBe(25);
    for (let i = 0; i < 30; i++) await seed({ title: `Pagecheck ${String(i).padStart(2, "0")}`, createdBy: filler, updatedAt: new Date(Date.now() - i * 1000) });
    const page1 = await listStaffArticles(editor, filters({ q: "Pagecheck", page: 1 }));
    const page2 = await listStaffArticles(editor, filters({ q: "Pagecheck", page: 2 }));
    const page3 = await listStaffArticles(editor, filters({ q: "Pagecheck", page: 3 }));
    expect([page1.rows.length, page2.rows.length, page3.rows.length]).toEqual([25, 5, 0]);
    expect([page1.total, page1.totalPages, page3.total, page3.totalPages]).toEqual([30, 2, 30, 2]);
    expect(new Set([...idsOf(page1.rows), ...idsOf(page2.rows)]).size).toBe(30);
    // newest change first
    expect(page1.rows[0]!.title).toBe("Pagecheck 00");
    expect(page2.rows.at(-1)!.title).toBe("Pagecheck 29");
    // by headline, page 2 continues where page 1 stopped
    const byTitle = [...(await listStaffArticles(editor, filters({ q: "Pagecheck", sort: "title", page: 1 }))).rows, ...(await listStaffArticles(editor, filters({ q: "Pagecheck", sort: "title", page: 2 }))).rows];
    expect(byTitle.map((r) => r.title)).toEqual(Array.from({ length: 30 }, (_, i) => `Pagecheck ${String(i).padStart(2, "0")}`));
  });
});

describe("editorChoices and refusals", () => {
  it("lists sections by position and people by name", async () => {
    const { sections, people } = await editorChoices(w1);
    const ours = sections.filter((s) => s.id === s1.id || s.id === s2.id).map((s) => s.name);
    expect(ours).toEqual(["Economy", "Politics"]);
    const names = people.map((p) => p.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(people.find((p) => p.id === w1.id)).toEqual({ id: w1.id, name: "Wanda One" });
  });

  it("refuses the lists to an actor without a staff role", async () => {
    const nobody = { kind: "staff" as const, id: w1.id, role: "reader" as never };
    expect(await failure(listStaffArticles(nobody, filters()))).toBeInstanceOf(ForbiddenError);
    expect(await failure(dashboardQueues(nobody))).toBeInstanceOf(ForbiddenError);
    expect(await failure(editorChoices(nobody))).toBeInstanceOf(ForbiddenError);
  });
});
