import { describe, expect, it } from "vitest";
import { auditLog, sections, tags } from "@/db/schema";
import { ValidationError } from "@/lib/errors";
import { createSection, deleteSection, listSectionsForStaff } from "@/lib/sections/mutations";
import { getSectionListing } from "@/lib/sections/queries";
import { createTag, listTagsForStaff, mergeTag, TAG_NAME_MAX } from "@/lib/tags/mutations";
import { getTagListing } from "@/lib/tags/queries";
import { countRows, failure, makeStaff } from "../../fixtures/builders";
import { readXssCorpus } from "../../fixtures/xss-corpus";
import { sectionRow, tagRow } from "./helpers";

// Every line of the shared XSS corpus as a section name and as a tag name: what was typed is what is
// stored and read back (only the surrounding spaces trimmed), never stripped or escaped here:
// rendering it safely is React's job. Each is removed again after the check, since names are unique
// regardless of letter case and the corpus repeats some payloads in other cases.

const payloads = readXssCorpus().flatMap((section) => section.payloads);

describe("the XSS corpus as taxonomy names", () => {
  it("has payloads to try", () => {
    expect(payloads.length).toBeGreaterThan(100);
  });

  it("stores every payload as a section name exactly as typed", async () => {
    const admin = await makeStaff("admin");
    for (const payload of payloads) {
      const created = await createSection(admin, { name: payload, description: payload });
      const row = await sectionRow(created.id);
      expect(row, payload).toMatchObject({ name: payload.trim(), description: payload.trim() });
      expect(created.slug, payload).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect((await listSectionsForStaff(admin)).find((s) => s.id === created.id)?.name).toBe(payload.trim());
      expect((await getSectionListing(created.slug, 1))?.section, payload).toMatchObject({ name: payload.trim(), description: payload.trim() });
      await deleteSection(admin, created.id);
    }
  });

  it("stores every payload a tag name can hold as typed, and refuses the rest (too long, or with a comma) writing nothing", async () => {
    const editor = await makeStaff("editor");
    const sink = await createTag(editor, { name: "Corpus sink" });
    let stored = 0;
    for (const payload of payloads) {
      const name = payload.trim();
      if (name.length > TAG_NAME_MAX || name.includes(",")) {
        const before = await countRows({ tags, auditLog });
        const error = await failure(createTag(editor, { name: payload }));
        expect(error, payload).toBeInstanceOf(ValidationError);
        expect(error.message, payload).toMatch(/^name: (use at most 60 characters|leave out commas)/);
        expect(await countRows({ tags, auditLog })).toEqual(before);
        continue;
      }
      const created = await createTag(editor, { name: payload });
      expect(await tagRow(created.id), payload).toMatchObject({ name });
      expect((await listTagsForStaff(editor, { query: name })).items.map((t) => t.name), payload).toContain(name);
      expect((await getTagListing(created.slug, 1))?.tag.name, payload).toBe(name);
      await mergeTag(editor, created.id, { into: sink.slug });
      stored++;
    }
    expect(stored).toBeGreaterThan(payloads.length / 2);
  });
});
