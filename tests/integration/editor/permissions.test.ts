import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articles } from "@/db/schema";
import { authorizeArticleEdit, createDraft, getArticleForEditing, saveArticle } from "@/lib/articles/editing";
import { addCorrection, moveArticle } from "@/lib/articles/workflow";
import { operator } from "@/lib/auth/permissions";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { docOf, makeStaff } from "../../fixtures/builders";
import { articleRow, expectDomainError, payloadFor, snapshot, type Staff } from "./helpers";

// Who may open, edit and move an article: writers their own drafts (as author or creator), and
// nothing once it has left the drafts; editors and admins every article in every state. Those who
// cannot edit every article get 403 for an unknown id too (it reveals nothing); editors get 404.

let writer: Staff;
let otherWriter: Staff;
let editor: Staff;
let admin: Staff;

beforeAll(async () => {
  writer = await makeStaff("writer", "Wendy Writer");
  otherWriter = await makeStaff("writer", "Oscar Other");
  editor = await makeStaff("editor", "Ezra Editor");
  admin = await makeStaff("admin", "Ada Admin");
});

/** A draft by `owner` with enough content to publish. */
async function draftBy(owner: Staff, title = "A complete draft") {
  const { id } = await createDraft(owner);
  await saveArticle(owner, id, await payloadFor(id, { title, body: docOf("Some words.") }));
  return id;
}

async function setStatus(id: string, status: "review" | "published" | "scheduled" | "archived") {
  const db = await getDb();
  await db
    .update(articles)
    .set({ status, publishedAt: status === "published" ? new Date(Date.now() - 60_000) : null, scheduledAt: status === "scheduled" ? new Date(Date.now() + 3_600_000) : null })
    .where(eq(articles.id, id));
}

describe("writers", () => {
  it("edit their own draft", async () => {
    const id = await draftBy(writer);
    expect((await authorizeArticleEdit(writer, id)).id).toBe(id);
    expect((await getArticleForEditing(writer, id)).editable).toBe(true);
    expect((await saveArticle(writer, id, await payloadFor(id, { title: "Mine to change" }))).version).toBe(3);
  });

  it("edit a draft they are a co-author of, though someone else started it", async () => {
    const id = await draftBy(otherWriter);
    await saveArticle(otherWriter, id, await payloadFor(id, { authorIds: [otherWriter.id, writer.id] }));
    expect((await authorizeArticleEdit(writer, id)).id).toBe(id);
    await saveArticle(writer, id, await payloadFor(id, { title: "Co-written" }));
    expect((await articleRow(id)).title).toBe("Co-written");
  });

  it("cannot open, edit, save or submit another writer's draft (403) and change nothing", async () => {
    const id = await draftBy(otherWriter);
    const before = await snapshot(id);
    await expectDomainError(getArticleForEditing(writer, id), ForbiddenError, 403);
    await expectDomainError(authorizeArticleEdit(writer, id), ForbiddenError, 403);
    await expectDomainError(saveArticle(writer, id, await payloadFor(id, { title: "Hijacked" })), ForbiddenError, 403);
    await expectDomainError(moveArticle(writer, id, "submit", before.row.version), ForbiddenError, 403);
    expect(await snapshot(id)).toEqual(before);
  });

  for (const status of ["review", "scheduled", "published", "archived"] as const) {
    it(`may open but not edit their own article once it is ${status} (403)`, async () => {
      const id = await draftBy(writer);
      await setStatus(id, status);
      const before = await snapshot(id);
      const opened = await getArticleForEditing(writer, id);
      expect(opened).toMatchObject({ editable: false, article: { status } });
      const error = await expectDomainError(authorizeArticleEdit(writer, id), ForbiddenError, 403);
      expect(error.message).toMatch(/once it has left the drafts/);
      await expectDomainError(saveArticle(writer, id, await payloadFor(id, { title: "Sneaky fix" })), ForbiddenError, 403);
      await expectDomainError(saveArticle(writer, id, await payloadFor(id, { title: "Sneaky autosave" }), { autosave: true }), ForbiddenError, 403);
      expect(await snapshot(id)).toEqual(before);
    });
  }

  it("get 403, not 404, for an unknown or malformed id from authorizeArticleEdit, getArticleForEditing and moveArticle", async () => {
    for (const id of [randomUUID(), "not-a-uuid", "../../etc/passwd", ""]) {
      await expectDomainError(authorizeArticleEdit(writer, id), ForbiddenError, 403);
      await expectDomainError(getArticleForEditing(writer, id), ForbiddenError, 403);
      for (const step of ["submit", "publish", "unpublish"] as const) {
        await expectDomainError(moveArticle(writer, id, step, 1), ForbiddenError, 403);
      }
    }
  });

  it("cannot add corrections (403)", async () => {
    const id = await draftBy(writer);
    await setStatus(id, "published");
    await expectDomainError(addCorrection(writer, id, "A fix"), ForbiddenError, 403);
  });
});

describe("editors and admins", () => {
  it("get 404 for an unknown or malformed id", async () => {
    for (const actor of [editor, admin]) {
      for (const id of [randomUUID(), "not-a-uuid"]) {
        await expectDomainError(authorizeArticleEdit(actor, id), NotFoundError, 404);
        await expectDomainError(getArticleForEditing(actor, id), NotFoundError, 404);
        await expectDomainError(saveArticle(actor, id, { version: 1, title: "x", body: docOf("x") }), NotFoundError, 404);
        await expectDomainError(moveArticle(actor, id, "publish", 1), NotFoundError, 404);
        await expectDomainError(addCorrection(actor, id, "note"), NotFoundError, 404);
      }
    }
  });

  for (const status of ["draft", "review", "scheduled", "published", "archived"] as const) {
    it(`edit anyone's article when it is ${status}`, async () => {
      const id = await draftBy(writer, `Someone else's ${status} piece`);
      if (status !== "draft") await setStatus(id, status);
      for (const actor of [editor, admin]) {
        expect((await authorizeArticleEdit(actor, id)).id).toBe(id);
        expect((await getArticleForEditing(actor, id)).editable).toBe(true);
        await saveArticle(actor, id, await payloadFor(id, { title: `Edited by ${actor.role}` }));
      }
      expect(await articleRow(id)).toMatchObject({ title: "Edited by admin", status, version: 4 });
    });
  }

  it("the command-line operator cannot start a draft in the editor (it has no staff id)", async () => {
    await expectDomainError(createDraft(operator), ForbiddenError, 403);
  });
});
