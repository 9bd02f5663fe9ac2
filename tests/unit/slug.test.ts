import { describe, expect, it } from "vitest";
import { isValidSlug, slugify, uniqueSlug } from "@/lib/slug";

describe("slugify", () => {
  it("makes lower-case ASCII words joined by hyphens", () => {
    expect(slugify("Putin on the fritz? U.S. not buying Russia’s deescalation talk.")).toBe("putin-on-the-fritz-u-s-not-buying-russias-deescalation-talk");
    expect(slugify("Zoë’s Café in São Paulo")).toBe("zoes-cafe-in-sao-paulo");
  });

  it("returns an empty slug for text without letters or digits", () => {
    expect(slugify("¿¡!?")).toBe("");
  });

  it("caps slugs at 80 characters without a trailing hyphen", () => {
    const slug = slugify("word ".repeat(40));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(isValidSlug(slug)).toBe(true);
  });
});

describe("isValidSlug", () => {
  it("refuses traversal, upper case and empty segments", () => {
    for (const bad of ["", "../etc", "A-b", "a--b", "-a", "a b", "a%2e"]) expect(isValidSlug(bad)).toBe(false);
  });
});

describe("uniqueSlug", () => {
  it("adds -2, -3 … until a slug is free", async () => {
    const taken = new Set(["story", "story-2"]);
    expect(await uniqueSlug("story", async (s) => taken.has(s))).toBe("story-3");
    expect(await uniqueSlug("", async () => false)).toBe("untitled");
  });
});
