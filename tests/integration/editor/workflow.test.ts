import { beforeAll, describe, expect, it } from "vitest";
import { createDraft, saveArticle, StaleVersionError } from "@/lib/articles/editing";
import { getPublishedArticle, listLatestArticles } from "@/lib/articles/queries";
import { publishDueArticles } from "@/lib/articles/scheduler";
import { publishProblems } from "@/lib/articles/publish-rules";
import { addCorrection, moveArticle, type WorkflowStep } from "@/lib/articles/workflow";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { searchArticles } from "@/lib/search/queries";
import { docOf, makeStaff } from "../../fixtures/builders";
import { articleRow, auditOf, expectDomainError, makeImage, payloadFor, snapshot, type Staff } from "./helpers";

// The newsroom workflow: writers submit their own drafts; editors publish (checking completeness),
// schedule, unpublish and archive; each step names the version it acts on, bumps it, writes an
// audit entry with from/to, and shows (or hides) the article to readers at once.

let writer: Staff;
let otherWriter: Staff;
let editor: Staff;

beforeAll(async () => {
  writer = await makeStaff("writer", "Walt Workflow");
  otherWriter = await makeStaff("writer", "Olga Other");
  editor = await makeStaff("editor", "Erin Editor");
});

/** A complete draft by the writer (headline, body with a searchable word). */
async function completeDraft(title: string, word = "placeholder") {
  const { id } = await createDraft(writer);
  await saveArticle(writer, id, await payloadFor(id, { title, body: docOf(`A paragraph about ${word}.`) }));
  return id;
}

const version = async (id: string) => (await articleRow(id)).version;

async function isPublic(id: string, word: string) {
  const row = await articleRow(id);
  const detail = await getPublishedArticle(row.slug);
  const latest = (await listLatestArticles({ limit: 200 })).some((a) => a.id === id);
  const found = (await searchArticles(word, 1)).hits.some((h) => h.id === id);
  expect({ detail: Boolean(detail), latest, found }, "the article page, the latest list and search agree").toEqual({ detail: latest, latest, found: latest });
  return latest;
}

describe("submit", () => {
  it("moves a writer's own draft to review, with an audit entry from draft to review", async () => {
    const id = await completeDraft("Submitted piece");
    const result = await moveArticle(writer, id, "submit", await version(id));
    expect(result).toEqual({ version: 3, status: "review" });
    expect(await articleRow(id)).toMatchObject({ status: "review", version: 3 });
    const audits = await auditOf(id, "article.submit");
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: writer.id, details: { from: "draft", to: "review", title: "Submitted piece" } });
  });

  it("accepts an incomplete draft (completeness is checked at publication)", async () => {
    const { id } = await createDraft(writer);
    expect((await moveArticle(writer, id, "submit", 1)).status).toBe("review");
  });

  it("refuses to submit what is not a draft (400), and another writer's draft (403)", async () => {
    const id = await completeDraft("Submitted twice");
    await moveArticle(writer, id, "submit", await version(id));
    const before = await snapshot(id);
    // the owner is told why: it is no longer a draft
    const error = await expectDomainError(moveArticle(writer, id, "submit", before.row.version), ValidationError, 400);
    expect(error.message).toMatch(/Only a draft can be submitted/);
    expect(await snapshot(id)).toEqual(before);

    const theirs = await completeDraft("Not yours");
    const theirsBefore = await snapshot(theirs);
    await expectDomainError(moveArticle(otherWriter, theirs, "submit", theirsBefore.row.version), ForbiddenError, 403);
    expect(await snapshot(theirs)).toEqual(theirsBefore);
  });
});

describe("what writers may not do", () => {
  for (const step of ["publish", "schedule", "unpublish", "archive"] as const) {
    it(`refuses ${step} to a writer, even on their own article (403), changing nothing`, async () => {
      const id = await completeDraft(`Writer tries to ${step}`);
      if (step === "unpublish") await moveArticle(editor, id, "publish", await version(id));
      const before = await snapshot(id);
      await expectDomainError(moveArticle(writer, id, step, before.row.version, new Date(Date.now() + 3_600_000)), ForbiddenError, 403);
      expect(await snapshot(id)).toEqual(before);
    });
  }
});

describe("publish", () => {
  it("lists every problem (headline, body, hero alt) with 400 and changes nothing", async () => {
    const image = await makeImage();
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { title: "   ", hero: { mediaId: image.id, alt: "" } }));
    const before = await snapshot(id);
    const error = await expectDomainError(moveArticle(editor, id, "publish", before.row.version), ValidationError, 400);
    expect(error.fieldErrors.publish).toEqual(["Add a headline.", "Write the body.", "Describe the hero image (alt text)."]);
    expect(error.message).toContain("Add a headline.");
    expect(error.message).toContain("Write the body.");
    expect(error.message).toContain("Describe the hero image (alt text).");
    expect(await snapshot(id)).toEqual(before);
    // scheduling checks the same
    const scheduled = await expectDomainError(moveArticle(editor, id, "schedule", before.row.version, new Date(Date.now() + 3_600_000)), ValidationError, 400);
    expect(scheduled.fieldErrors.publish).toHaveLength(3);
    expect(await snapshot(id)).toEqual(before);
  });

  it("publishProblems: an empty paragraph is not a body; a heading alone is", () => {
    const base = { title: "T", slug: "t", heroMediaId: null, heroAlt: null };
    expect(publishProblems({ ...base, body: { type: "doc", content: [{ type: "paragraph" }, { type: "paragraph", content: [] }] } })).toEqual(["Write the body."]);
    expect(publishProblems({ ...base, body: { type: "doc", content: [{ type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "H" }] }] } })).toEqual([]);
    expect(publishProblems({ ...base, body: { type: "doc", content: [{ type: "script" }] } })).toEqual(["Write the body.", expect.stringMatching(/^Fix the body: /)]);
  });

  it("gives a placeholder slug one made from the headline, and shows the article everywhere readers look", async () => {
    const id = await completeDraft("Zoë’s Café reopens", "xylophonist");
    expect((await articleRow(id)).slug).toMatch(/^draft-/);
    expect(await isPublic(id, "xylophonist")).toBe(false);
    const before = Date.now();
    const result = await moveArticle(editor, id, "publish", await version(id));
    expect(result).toEqual({ version: 3, status: "published" });
    const row = await articleRow(id);
    expect(row).toMatchObject({ status: "published", slug: "zoes-cafe-reopens", scheduledAt: null });
    expect(row.publishedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await isPublic(id, "xylophonist")).toBe(true);
    expect(await getPublishedArticle("zoes-cafe-reopens")).toMatchObject({ id, title: "Zoë’s Café reopens", authors: [{ name: "Walt Workflow" }] });
    const audits = await auditOf(id, "article.publish");
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: editor.id, details: { from: "draft", to: "published" } });
  });

  it("picks the next free slug when the headline's is taken, and keeps a slug the writer chose", async () => {
    const first = await completeDraft("Same headline twice");
    await moveArticle(editor, first, "publish", await version(first));
    const second = await completeDraft("Same headline twice");
    await moveArticle(editor, second, "publish", await version(second));
    expect([(await articleRow(first)).slug, (await articleRow(second)).slug]).toEqual(["same-headline-twice", "same-headline-twice-2"]);

    const chosen = await completeDraft("A headline");
    await saveArticle(writer, chosen, await payloadFor(chosen, { slug: "chosen-by-the-writer" }));
    await moveArticle(editor, chosen, "publish", await version(chosen));
    expect((await articleRow(chosen)).slug).toBe("chosen-by-the-writer");
  });

  it("publishes straight from review, and refuses an already published article (400)", async () => {
    const id = await completeDraft("From review");
    await moveArticle(writer, id, "submit", await version(id));
    await moveArticle(editor, id, "publish", await version(id));
    const before = await snapshot(id);
    await expectDomainError(moveArticle(editor, id, "publish", before.row.version), ValidationError, 400);
    expect(await snapshot(id)).toEqual(before);
    expect((await auditOf(id, "article.publish"))[0]!.details).toMatchObject({ from: "review", to: "published" });
  });

  it("refuses a stale version (409, with the current copy) and a missing one (400)", async () => {
    const id = await completeDraft("Stale step");
    const old = await version(id);
    await saveArticle(writer, id, await payloadFor(id, { title: "Stale step, edited" }));
    const before = await snapshot(id);
    for (const step of ["publish", "submit", "archive"] as const) {
      const actor = step === "submit" ? writer : editor;
      const error = await expectDomainError(moveArticle(actor, id, step, old), StaleVersionError, 409);
      expect(error.current).toMatchObject({ id, version: old + 1, title: "Stale step, edited" });
      await expectDomainError(moveArticle(actor, id, step, Number.NaN), ValidationError, 400);
    }
    expect(await snapshot(id)).toEqual(before);
  });

  it("lets exactly one of two concurrent publishes of the same version through", async () => {
    const id = await completeDraft("Published twice at once");
    const v = await version(id);
    const outcomes = await Promise.allSettled([moveArticle(editor, id, "publish", v), moveArticle(editor, id, "publish", v)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(StaleVersionError);
    expect(await auditOf(id, "article.publish")).toHaveLength(1);
  });
});

describe("unpublish and archive", () => {
  for (const step of ["unpublish", "archive"] as const) {
    it(`${step} hides a published article from readers at once, with an audit entry`, async () => {
      const id = await completeDraft(`Going away by ${step}`, `vanishing${step}`);
      await moveArticle(editor, id, "publish", await version(id));
      expect(await isPublic(id, `vanishing${step}`)).toBe(true);
      const result = await moveArticle(editor, id, step, await version(id));
      expect(result.status).toBe(step === "unpublish" ? "draft" : "archived");
      expect(await isPublic(id, `vanishing${step}`)).toBe(false);
      const audits = await auditOf(id, `article.${step}`);
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actorId: editor.id, details: { from: "published", to: result.status } });
    });
  }

  it("republishing keeps the first publication date", async () => {
    const id = await completeDraft("Back again");
    await moveArticle(editor, id, "publish", await version(id));
    const first = (await articleRow(id)).publishedAt!;
    await moveArticle(editor, id, "unpublish", await version(id));
    // the writer may edit it again once it is a draft
    await saveArticle(writer, id, await payloadFor(id, { title: "Back again, fixed" }));
    await moveArticle(editor, id, "publish", await version(id));
    expect((await articleRow(id)).publishedAt!.getTime()).toBe(first.getTime());
  });

  it("refuses to unpublish a draft and to archive an archived article (400)", async () => {
    const id = await completeDraft("Nothing to undo");
    await expectDomainError(moveArticle(editor, id, "unpublish", await version(id)), ValidationError, 400);
    await moveArticle(editor, id, "archive", await version(id));
    const before = await snapshot(id);
    await expectDomainError(moveArticle(editor, id, "archive", before.row.version), ValidationError, 400);
    expect(await snapshot(id)).toEqual(before);
  });
});

describe("schedule", () => {
  it("refuses a time in the past, within 30 seconds, missing or invalid (400), changing nothing", async () => {
    const id = await completeDraft("Too soon");
    const before = await snapshot(id);
    for (const at of [new Date(Date.now() - 60_000), new Date(), new Date(Date.now() + 10_000), new Date(Date.now() + 29_000), undefined, new Date(Number.NaN)]) {
      await expectDomainError(moveArticle(editor, id, "schedule", before.row.version, at), ValidationError, 400);
    }
    expect(await snapshot(id)).toEqual(before);
  });

  it("schedules for the future; the scheduler publishes it exactly once when due", async () => {
    const id = await completeDraft("Tomorrow’s piece", "quasarwatch");
    const at = new Date(Date.now() + 2 * 3_600_000);
    const result = await moveArticle(editor, id, "schedule", await version(id), at);
    expect(result).toEqual({ version: 3, status: "scheduled" });
    const row = await articleRow(id);
    expect(row).toMatchObject({ status: "scheduled", slug: "tomorrows-piece", publishedAt: null });
    expect(row.scheduledAt!.getTime()).toBe(at.getTime());
    expect((await auditOf(id, "article.schedule"))[0]).toMatchObject({ actorId: editor.id, details: { from: "draft", to: "scheduled", at: at.toISOString() } });
    expect(await isPublic(id, "quasarwatch")).toBe(false);

    // not yet due
    expect(await publishDueArticles(new Date(at.getTime() - 1000))).not.toContain(id);
    expect((await articleRow(id)).status).toBe("scheduled");

    const due = new Date(at.getTime() + 1000);
    const runs = await Promise.all([publishDueArticles(due), publishDueArticles(due)]);
    expect(runs.flat().filter((x) => x === id)).toHaveLength(1);
    expect(await publishDueArticles(due)).not.toContain(id);
    const published = await articleRow(id);
    expect(published).toMatchObject({ status: "published", scheduledAt: null });
    expect(published.publishedAt!.getTime()).toBe(at.getTime());
    expect(await auditOf(id, "article.publish_scheduled")).toHaveLength(1);
    // its time (two hours from now) has not come on the real clock, so readers still wait
    expect(await getPublishedArticle(published.slug)).toBeNull();
  });

  it("unpublishing a scheduled article cancels it", async () => {
    const id = await completeDraft("Cancelled plan");
    await moveArticle(editor, id, "schedule", await version(id), new Date(Date.now() + 3_600_000));
    await moveArticle(editor, id, "unpublish", await version(id));
    expect(await articleRow(id)).toMatchObject({ status: "draft", scheduledAt: null });
    expect(await publishDueArticles(new Date(Date.now() + 7_200_000))).not.toContain(id);
  });

  it("refuses to schedule a published article (400)", async () => {
    const id = await completeDraft("Already out");
    await moveArticle(editor, id, "publish", await version(id));
    await expectDomainError(moveArticle(editor, id, "schedule", await version(id), new Date(Date.now() + 3_600_000)), ValidationError, 400);
  });
});

describe("every step is audited with from and to", () => {
  it("draft → review → scheduled → draft → published → archived", async () => {
    const id = await completeDraft("The whole way");
    const steps: [WorkflowStep, Staff][] = [
      ["submit", writer],
      ["schedule", editor],
      ["unpublish", editor],
      ["publish", editor],
      ["archive", editor],
    ];
    for (const [step, actor] of steps) await moveArticle(actor, id, step, await version(id), new Date(Date.now() + 3_600_000));
    const trail = (await auditOf(id)).filter((a) => a.action !== "article.create" && a.action !== "article.save");
    expect(trail.map((a) => [a.action, a.details.from, a.details.to])).toEqual([
      ["article.submit", "draft", "review"],
      ["article.schedule", "review", "scheduled"],
      ["article.unpublish", "scheduled", "draft"],
      ["article.publish", "draft", "published"],
      ["article.archive", "published", "archived"],
    ]);
    expect(await version(id)).toBe(2 + steps.length);
  });
});

describe("addCorrection", () => {
  it("adds a dated note to a published article that readers see at once", async () => {
    const id = await completeDraft("Corrected story");
    await moveArticle(editor, id, "publish", await version(id));
    const v = await version(id);
    await addCorrection(editor, id, "  An earlier version misspelled the mayor’s name.\u0000  ");
    const detail = await getPublishedArticle((await articleRow(id)).slug);
    expect(detail!.corrections).toEqual([{ note: "An earlier version misspelled the mayor’s name.", createdAt: expect.any(String) }]);
    expect(await version(id)).toBe(v + 1);
    expect((await auditOf(id, "article.correct"))[0]).toMatchObject({ actorId: editor.id, details: { note: "An earlier version misspelled the mayor’s name." } });
  });

  it("is for editors only (403) and for published articles only (400)", async () => {
    const id = await completeDraft("Not out yet");
    await expectDomainError(addCorrection(editor, id, "Too early"), ValidationError, 400);
    await moveArticle(editor, id, "publish", await version(id));
    const before = await snapshot(id);
    await expectDomainError(addCorrection(writer, id, "A writer's note"), ForbiddenError, 403);
    expect(await snapshot(id)).toEqual(before);
  });

  it("refuses an empty or whitespace-only note, and one over 2,000 characters (400)", async () => {
    const id = await completeDraft("Nothing to correct");
    await moveArticle(editor, id, "publish", await version(id));
    const before = await snapshot(id);
    for (const note of ["", "   ", "\u0000\u0007", "x".repeat(2001)]) {
      await expectDomainError(addCorrection(editor, id, note), ValidationError, 400);
    }
    expect(await snapshot(id)).toEqual(before);
    expect((await getPublishedArticle(before.row.slug))!.corrections).toEqual([]);
  });

  it("gives 404 for an unknown article", async () => {
    await expectDomainError(addCorrection(editor, "00000000-0000-4000-8000-000000000000", "note"), NotFoundError, 404);
  });
});
