import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { revisions } from "@/db/schema";
import { createDraft, saveArticle } from "@/lib/articles/editing";
import { makeStaff } from "../../fixtures/builders";
import { auditOf, payloadFor, revisionsOf, type Staff } from "./helpers";

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
});
