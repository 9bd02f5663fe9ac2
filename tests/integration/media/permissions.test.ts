import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, media } from "@/db/schema";
import { operator } from "@/lib/auth/permissions";
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { canManageMedia, deleteMedia, listMedia, updateMediaDetails, uploadMedia } from "@/lib/media/library";
import { countRows, failure, makeStaff } from "../../fixtures/builders";
import { auditEntries, listFiles, mediaRow, pngOf, storedPath, useTempMediaStorage } from "./helpers";

// Who may browse, describe and delete images: every staff member browses and uploads; writers
// manage their own uploads; editors and admins manage everyone's. Writers never learn whether an
// image they may not manage exists (403 for an unknown id); managers get 404.

const mediaDir = useTempMediaStorage();
type Staff = Awaited<ReturnType<typeof makeStaff>>;
let writer: Staff;
let otherWriter: Staff;
let editor: Staff;
let admin: Staff;
let png: Uint8Array;

beforeAll(async () => {
  writer = await makeStaff("writer", "Wren Writer");
  otherWriter = await makeStaff("writer", "Otto Otherwriter");
  editor = await makeStaff("editor", "Edda Editor");
  admin = await makeStaff("admin", "Ada Admin");
  png = await pngOf(32, 24);
});

const upload = (actor: Staff, filename = "picture.png", details: { alt?: string; caption?: string; credit?: string } = {}) => uploadMedia(actor, { bytes: png, filename, ...details });

const filesOf = async (id: string) => {
  const row = (await mediaRow(id))!;
  return [row.storageKey, ...row.variants.map((v) => v.key)].map((key) => storedPath(mediaDir(), key));
};

describe("listMedia", () => {
  it("shows every staff role the whole library, with the uploader's name", async () => {
    const mine = await upload(writer, "listed-by-writer.png");
    const theirs = await upload(editor, "listed-by-editor.png");
    for (const actor of [writer, otherWriter, editor, admin]) {
      const { items, total } = await listMedia(actor);
      expect(total).toBeGreaterThanOrEqual(2);
      expect(items.find((item) => item.id === mine.id)).toMatchObject({ filename: "listed-by-writer.png", uploadedBy: writer.id, uploaderName: "Wren Writer", mimeType: "image/png" });
      expect(items.find((item) => item.id === theirs.id)).toMatchObject({ uploadedBy: editor.id, uploaderName: "Edda Editor" });
      expect(items.find((item) => item.id === mine.id)!.image).toMatchObject({ src: mine.url, width: 32, height: 24 });
    }
  });
});

describe("uploadMedia details", () => {
  it("trims alt, caption and credit and stores empty ones as null; audits the upload", async () => {
    const stored = await upload(writer, "described.png", { alt: "  A harbour at dawn  ", caption: "", credit: "\tPhoto: Wren " });
    expect(await mediaRow(stored.id)).toMatchObject({ alt: "A harbour at dawn", caption: null, credit: "Photo: Wren", uploadedBy: writer.id });
    const [entry] = await auditEntries("media.upload", stored.id);
    expect(entry).toMatchObject({ actorId: writer.id, entityType: "media", details: { filename: "described.png" } });
  });

  it("refuses alt text over 500 characters with 400 before writing any file", async () => {
    const before = await countRows({ media, auditLog });
    const files = listFiles(mediaDir());
    const error = await failure(upload(writer, "long-alt.png", { alt: "a".repeat(501) }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^alt: /);
    expect(await countRows({ media, auditLog })).toEqual(before);
    expect(listFiles(mediaDir())).toEqual(files);
  });

  it("drops NUL and other control characters from alt, caption and credit (PostgreSQL cannot store NUL)", async () => {
    const stored = await upload(writer, "nul.png", { alt: "nul\u0000alt", caption: "cap\u0007tion", credit: "cre\u0000dit" });
    const row = (await mediaRow(stored.id))!;
    expect([row.alt, row.caption, row.credit]).toEqual(["nulalt", "caption", "credit"]);
  });

  it("leaves no file and no row behind when the upload fails after the files were written", async () => {
    // an uploader who does not exist (deleted mid-request) makes the insert fail after the files
    // were written: they must be removed again
    const before = await countRows({ media, auditLog });
    const files = listFiles(mediaDir());
    const ghost = { kind: "staff" as const, id: randomUUID(), role: "writer" as const };
    await expect(uploadMedia(ghost, { bytes: png, filename: "orphan.png" })).rejects.toThrow();
    expect(await countRows({ media, auditLog })).toEqual(before);
    expect(listFiles(mediaDir())).toEqual(files);
  });

  it("lets the operator (a server command) upload, with no uploader", async () => {
    const stored = await uploadMedia(operator, { bytes: png, filename: "imported.png" });
    expect((await mediaRow(stored.id))!.uploadedBy).toBeNull();
    expect(canManageMedia(writer, null)).toBe(false);
    expect(canManageMedia(editor, null)).toBe(true);
  });
});

describe("updateMediaDetails", () => {
  it("lets the writer who uploaded an image describe it, and audits it", async () => {
    const stored = await upload(writer);
    await updateMediaDetails(writer, stored.id, { alt: "The quay", caption: "Morning on the quay", credit: "Wren Writer" });
    expect(await mediaRow(stored.id)).toMatchObject({ alt: "The quay", caption: "Morning on the quay", credit: "Wren Writer" });
    const [entry] = await auditEntries("media.update", stored.id);
    expect(entry).toMatchObject({ actorId: writer.id, entityType: "media" });
    // omitted fields are cleared: the form always sends all three
    await updateMediaDetails(writer, stored.id, { alt: "Only alt" });
    expect(await mediaRow(stored.id)).toMatchObject({ alt: "Only alt", caption: null, credit: null });
  });

  it("refuses another writer with 403 and changes nothing", async () => {
    const stored = await upload(writer, "private.png", { alt: "Kept" });
    const before = await countRows({ media, auditLog });
    const error = await failure(updateMediaDetails(otherWriter, stored.id, { alt: "Hijacked" }));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.status).toBe(403);
    expect((await mediaRow(stored.id))!.alt).toBe("Kept");
    expect(await countRows({ media, auditLog })).toEqual(before);
  });

  it("answers a writer 403 for an unknown id (never revealing whether it exists), an editor 404", async () => {
    const unknown = randomUUID();
    for (const [actor, status, type] of [
      [writer, 403, ForbiddenError],
      [editor, 404, NotFoundError],
      [admin, 404, NotFoundError],
    ] as const) {
      const error = await failure(updateMediaDetails(actor, unknown, { alt: "x" }));
      expect(error).toBeInstanceOf(type);
      expect(error.status).toBe(status);
    }
  });

  it("drops NUL characters from the details when they are edited", async () => {
    const stored = await upload(writer, "nul-update.png");
    await updateMediaDetails(writer, stored.id, { alt: "nul\u0000alt" });
    expect((await mediaRow(stored.id))!.alt).toBe("nulalt");
  });

  it("lets editors and admins describe anyone's image", async () => {
    const stored = await upload(writer);
    await updateMediaDetails(editor, stored.id, { alt: "Edited by the editor" });
    expect((await mediaRow(stored.id))!.alt).toBe("Edited by the editor");
    await updateMediaDetails(admin, stored.id, { alt: "Edited by the admin" });
    expect((await mediaRow(stored.id))!.alt).toBe("Edited by the admin");
    const entries = await auditEntries("media.update", stored.id);
    expect(entries.map((e) => e.actorId).sort()).toEqual([editor.id, admin.id].sort());
  });

  it("refuses alt over 500, caption over 1,000 and credit over 200 characters with 400, changing nothing", async () => {
    const stored = await upload(writer, "limits.png", { alt: "Before", caption: "Before caption", credit: "Before credit" });
    for (const [input, field] of [
      [{ alt: "a".repeat(501) }, "alt"],
      [{ alt: "ok", caption: "c".repeat(1001) }, "caption"],
      [{ alt: "ok", credit: "r".repeat(201) }, "credit"],
    ] as const) {
      const error = await failure(updateMediaDetails(writer, stored.id, input));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
      expect(error.message.startsWith(`${field}: `)).toBe(true);
    }
    expect(await mediaRow(stored.id)).toMatchObject({ alt: "Before", caption: "Before caption", credit: "Before credit" });
    expect(await auditEntries("media.update", stored.id)).toHaveLength(0);
    // exactly at the limits is fine (and surrounding spaces do not count)
    await updateMediaDetails(writer, stored.id, { alt: ` ${"a".repeat(500)} `, caption: "c".repeat(1000), credit: "r".repeat(200) });
    expect((await mediaRow(stored.id))!.alt).toHaveLength(500);
  });
});

describe("deleteMedia", () => {
  it("lets the writer who uploaded an image delete it: row and every file gone, audited", async () => {
    const big = await pngOf(1000, 600); // has variants too
    const stored = await uploadMedia(writer, { bytes: big, filename: "to-delete.png" });
    const files = await filesOf(stored.id);
    expect(files).toHaveLength(3);
    expect(files.every((file) => fs.existsSync(file))).toBe(true);
    await deleteMedia(writer, stored.id);
    expect(await mediaRow(stored.id)).toBeUndefined();
    expect(files.some((file) => fs.existsSync(file))).toBe(false);
    const [entry] = await auditEntries("media.delete", stored.id);
    expect(entry).toMatchObject({ actorId: writer.id, entityType: "media", details: { filename: "to-delete.png" } });
  });

  it("refuses another writer with 403, keeping the row and the files", async () => {
    const stored = await upload(writer, "not-yours.png");
    const files = await filesOf(stored.id);
    const before = await countRows({ media, auditLog });
    const error = await failure(deleteMedia(otherWriter, stored.id));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.status).toBe(403);
    expect(await countRows({ media, auditLog })).toEqual(before);
    expect(files.every((file) => fs.existsSync(file))).toBe(true);
  });

  it("answers a writer 403 for an unknown id, an editor and an admin 404", async () => {
    const unknown = randomUUID();
    const writerError = await failure(deleteMedia(writer, unknown));
    expect(writerError).toBeInstanceOf(ForbiddenError);
    expect(writerError.status).toBe(403);
    for (const actor of [editor, admin]) {
      const error = await failure(deleteMedia(actor, unknown));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.status).toBe(404);
    }
  });

  it("answers an id that is not a uuid with a DomainError (never a database error)", async () => {
    for (const actor of [writer, editor]) {
      for (const id of ["not-a-uuid", "../../etc/passwd", "' or 1=1 --", ""]) {
        const error = await failure(deleteMedia(actor, id));
        expect(error).toBeInstanceOf(DomainError);
        expect([403, 404]).toContain(error.status);
        const updateError = await failure(updateMediaDetails(actor, id, { alt: "x" }));
        expect(updateError).toBeInstanceOf(DomainError);
      }
    }
  });

  it("lets an editor delete a writer's image, and an admin an editor's", async () => {
    const byWriter = await upload(writer, "writer-made.png");
    const byEditor = await upload(editor, "editor-made.png");
    const files = [...(await filesOf(byWriter.id)), ...(await filesOf(byEditor.id))];
    await deleteMedia(editor, byWriter.id);
    await deleteMedia(admin, byEditor.id);
    expect(await mediaRow(byWriter.id)).toBeUndefined();
    expect(await mediaRow(byEditor.id)).toBeUndefined();
    expect(files.some((file) => fs.existsSync(file))).toBe(false);
    expect((await auditEntries("media.delete", byWriter.id))[0]).toMatchObject({ actorId: editor.id });
    expect((await auditEntries("media.delete", byEditor.id))[0]).toMatchObject({ actorId: admin.id });
  });

  it("answers a second delete of the same image 404 for an editor", async () => {
    const stored = await upload(editor, "twice.png");
    await deleteMedia(editor, stored.id);
    const error = await failure(deleteMedia(editor, stored.id));
    expect(error).toBeInstanceOf(NotFoundError);
  });
});
