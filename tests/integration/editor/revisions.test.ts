import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { revisions } from "@/db/schema";
import { createDraft, saveArticle, setAsideCopy } from "@/lib/articles/editing";
import { listRevisions, restoreRevision } from "@/lib/articles/revisions";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { makeStaff } from "../../fixtures/builders";
import { auditOf, bodyWith, expectDomainError, payloadFor, revisionsOf, snapshot, type Staff } from "./helpers";

// A revision per save: an explicit save always adds one; consecutive autosaves by one person within
// ten minutes update their latest autosave row instead of piling up; another person's autosave, or
// an explicit save in between, starts a new row. Autosaves are not audited; explicit saves are.

let writer: Staff;
let editor: Staff;

beforeAll(async () => {
  writer = await makeStaff("writer", "Rita Reviser");
  editor = await makeStaff("editor", "Emil Editor");
});

describe("revisions", () => {
  it("an explicit save adds a revision with the saved snapshot, and an audit entry", async () => {
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { title: "Explicit one", tags: ["Alpha"] }));
    const revs = await revisionsOf(id);
    expect(revs).toHaveLength(2);
    expect(revs[1]).toMatchObject({ version: 2, authorId: writer.id, snapshot: { title: "Explicit one", tags: ["Alpha"], authorIds: [writer.id], autosave: false } });
    expect((revs[1]!.snapshot as { slug: string }).slug).toMatch(/^draft-/);
    const saves = await auditOf(id, "article.save");
    expect(saves).toHaveLength(1);
    expect(saves[0]).toMatchObject({ actorId: writer.id, details: { version: 2, title: "Explicit one" } });
  });

  it("coalesces consecutive autosaves by one person into one row holding the latest version", async () => {
    const { id } = await createDraft(writer);
    for (const [i, title] of ["Typing", "Typing more", "Typing even more"].entries()) {
      await saveArticle(writer, id, await payloadFor(id, { title }), { autosave: true });
      const revs = await revisionsOf(id);
      expect(revs).toHaveLength(2);
      expect(revs[1]).toMatchObject({ version: 2 + i, authorId: writer.id, snapshot: { title, autosave: true } });
    }
    // autosaves are not audited
    expect(await auditOf(id, "article.save")).toHaveLength(0);

    // an explicit save after them adds a row of its own
    await saveArticle(writer, id, await payloadFor(id, { title: "Saved on purpose" }));
    let revs = await revisionsOf(id);
    expect(revs.map((r) => [r.version, r.snapshot.autosave])).toEqual([
      [1, undefined],
      [4, true],
      [5, false],
    ]);
    expect(await auditOf(id, "article.save")).toHaveLength(1);

    // and the next autosave does not fold into the explicit save
    await saveArticle(writer, id, await payloadFor(id, { title: "Typing again" }), { autosave: true });
    revs = await revisionsOf(id);
    expect(revs).toHaveLength(4);
    expect(revs[3]).toMatchObject({ version: 6, snapshot: { title: "Typing again", autosave: true } });
  });

  it("starts a new row for another person's autosave, and for the first person's after that", async () => {
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { title: "Writer types" }), { autosave: true });
    await saveArticle(editor, id, await payloadFor(id, { title: "Editor types" }), { autosave: true });
    await saveArticle(editor, id, await payloadFor(id, { title: "Editor types on" }), { autosave: true });
    await saveArticle(writer, id, await payloadFor(id, { title: "Writer back" }), { autosave: true });
    const revs = await revisionsOf(id);
    expect(revs.slice(1).map((r) => [r.authorId, r.version, r.snapshot.title])).toEqual([
      [writer.id, 2, "Writer types"],
      [editor.id, 4, "Editor types on"],
      [writer.id, 5, "Writer back"],
    ]);
  });

  it("starts a new row once the last autosave is more than ten minutes old", async () => {
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { title: "Morning" }), { autosave: true });
    const [first, last] = await revisionsOf(id);
    const db = await getDb();
    await db.update(revisions).set({ createdAt: new Date(Date.now() - 20 * 60_000) }).where(eq(revisions.id, first!.id));
    await db.update(revisions).set({ createdAt: new Date(Date.now() - 11 * 60_000) }).where(eq(revisions.id, last!.id));
    await saveArticle(writer, id, await payloadFor(id, { title: "After lunch" }), { autosave: true });
    const revs = await revisionsOf(id);
    expect(revs.slice(1).map((r) => [r.version, r.snapshot.title])).toEqual([
      [2, "Morning"],
      [3, "After lunch"],
    ]);
  });

  it("still coalesces an autosave nine minutes after the last one", async () => {
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { title: "Start" }), { autosave: true });
    const [first, last] = await revisionsOf(id);
    const db = await getDb();
    await db.update(revisions).set({ createdAt: new Date(Date.now() - 20 * 60_000) }).where(eq(revisions.id, first!.id));
    await db.update(revisions).set({ createdAt: new Date(Date.now() - 9 * 60_000) }).where(eq(revisions.id, last!.id));
    await saveArticle(writer, id, await payloadFor(id, { title: "Nine minutes on" }), { autosave: true });
    const revs = await revisionsOf(id);
    expect(revs).toHaveLength(2);
    expect(revs[1]).toMatchObject({ id: last!.id, version: 3, snapshot: { title: "Nine minutes on" } });
  });

  it("a refused autosave (stale version) leaves the coalesced row as it was", async () => {
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { title: "Kept" }), { autosave: true });
    const before = await revisionsOf(id);
    await expect(saveArticle(writer, id, { ...(await payloadFor(id, { title: "Lost" })), version: 1 }, { autosave: true })).rejects.toMatchObject({ status: 409 });
    expect(await revisionsOf(id)).toEqual(before);
  });

  it("starts a new row when an autosave removes more than a few lines, so the longer text stays in the history", async () => {
    const paragraph = (n: number) => `Paragraph ${n} holds a sentence long enough to matter, written with care and not to be lost to a stray keystroke.`;
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { title: "Long draft", body: bodyWith(paragraph(1), paragraph(2), paragraph(3)) }), { autosave: true });
    // a word removed: the same row
    await saveArticle(writer, id, await payloadFor(id, { title: "Long draft", body: bodyWith(paragraph(1), paragraph(2), paragraph(3).replace(" stray", "")) }), { autosave: true });
    expect(await revisionsOf(id)).toHaveLength(2);
    // select all and type: a new row; the three paragraphs are still in the one before
    await saveArticle(writer, id, await payloadFor(id, { title: "Long draft", body: bodyWith("Oops") }), { autosave: true });
    const revs = await revisionsOf(id);
    expect(revs).toHaveLength(3);
    expect(JSON.stringify(revs[1]!.snapshot.body)).toContain("Paragraph 3 holds");
    expect(JSON.stringify(revs[2]!.snapshot.body)).not.toContain("Paragraph 1");
    // typing on after that coalesces again
    await saveArticle(writer, id, await payloadFor(id, { title: "Long draft", body: bodyWith("Oops, and more") }), { autosave: true });
    expect(await revisionsOf(id)).toHaveLength(3);
  });
});

describe("setting a copy aside", () => {
  it("keeps the given-up copy as a revision without touching the article, and it can be restored", async () => {
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { title: "Theirs", body: bodyWith("Their paragraph.") }));
    const before = await snapshot(id);
    // the copy names a stale version: it is not checked, nothing is saved over the article
    const mine = { ...(await payloadFor(id, { title: "Mine", body: bodyWith("My unsaved paragraph.") })), version: 1 };
    const { revisionId } = await setAsideCopy(writer, id, mine);
    // one more revision and one audit entry; the article, its tags and authors as they were
    expect(await snapshot(id)).toEqual({ ...before, revisions: before.revisions + 1, audits: before.audits + 1 });
    const entries = await listRevisions(writer, id);
    expect(entries[0]).toMatchObject({ id: revisionId, version: 2, setAside: true, autosave: false });
    expect(entries.filter((e) => e.setAside)).toHaveLength(1);
    expect(await auditOf(id, "article.set_aside")).toHaveLength(1);
    await restoreRevision(writer, id, revisionId, 2);
    const restored = await revisionsOf(id);
    expect(restored.at(-1)!.snapshot).toMatchObject({ title: "Mine", autosave: false });
    expect(JSON.stringify(restored.at(-1)!.snapshot.body)).toContain("My unsaved paragraph.");
  });

  it("is refused to those who may not edit the article, and for an invalid copy, writing nothing", async () => {
    const { id } = await createDraft(editor);
    const count = (await revisionsOf(id)).length;
    await expectDomainError(setAsideCopy(writer, id, await payloadFor(id, { title: "Not mine to keep" })), ForbiddenError, 403);
    await expectDomainError(setAsideCopy(editor, id, await payloadFor(id, { body: { type: "doc", content: [{ type: "script" }] } as never })), ValidationError, 400);
    expect(await revisionsOf(id)).toHaveLength(count);
  });
});
