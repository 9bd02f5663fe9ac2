import { z } from "zod";
import { richTextSchema } from "@/lib/rich-text/schema";
import { isHttpUrl } from "@/lib/rich-text/urls";
import { isValidSlug } from "@/lib/slug";
import { withoutControlCharacters } from "@/lib/text";

const optionalText = (max: number) =>
  z
    .string()
    .overwrite(withoutControlCharacters)
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .nullish()
    .transform((value) => (value ? value : null));

export const newArticleSchema = z
  .object({
    title: z.string().trim().min(1, { message: "a headline is required" }).max(300, { message: "must be at most 300 characters" }),
    dek: optionalText(500),
    slug: z.string().refine(isValidSlug, { message: "use lower-case letters, digits and single hyphens (at most 80)" }).optional(),
    body: richTextSchema,
    section: z.string().trim().min(1).nullish(),
    tags: z.array(z.string().trim().min(1).max(60, { message: "a tag is at most 60 characters" })).max(30).default([]),
    authors: z.array(z.string().trim().min(1)).max(10).default([]),
    sourceName: optionalText(200),
    sourceUrl: z
      .string()
      .trim()
      .max(2_000)
      .refine(isHttpUrl, { message: "must be an http(s) URL such as https://example.com/story" })
      .nullish()
      .transform((value) => value ?? null),
    status: z.enum(["draft", "published"]).default("draft"),
    publishedAt: z.date().nullish(),
    isFeatured: z.boolean().default(false),
    hero: z
      .object({
        mediaId: z.uuid(),
        alt: z.string().trim().min(1, { message: "a hero image needs alt text" }).max(500),
        caption: optionalText(1_000),
        credit: optionalText(300),
      })
      .nullish(),
  })
  .refine((input) => !input.sourceName || input.sourceUrl, {
    message: "a source name needs the source's URL",
    path: ["sourceUrl"],
  });

export type NewArticleInput = z.input<typeof newArticleSchema>;
export type NewArticle = z.output<typeof newArticleSchema>;

const optionalUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine((value) => value === "" || isHttpUrl(value), { message: "must be an http(s) URL such as https://example.com/story" })
  .nullish()
  .transform((value) => value || null);

/**
 * What the editor saves, at any stage: a draft may be incomplete (no headline yet, a hero without
 * alt text); publishing checks completeness (lib/articles/workflow.ts). The body must pass the
 * reader renderer's allow-list on every save.
 */
export const articleDraftSchema = z
  .object({
    version: z.number().int().min(1),
    title: z.string().overwrite(withoutControlCharacters).trim().max(300, { message: "must be at most 300 characters" }),
    slug: z
      .string()
      .trim()
      .refine((slug) => slug === "" || isValidSlug(slug), { message: "use lower-case letters, digits and single hyphens (at most 80)" })
      .default(""),
    dek: optionalText(500),
    body: richTextSchema,
    sectionId: z.uuid({ message: "choose a section from the list" }).nullish().transform((value) => value ?? null),
    tags: z.array(z.string().overwrite(withoutControlCharacters).trim().min(1).max(60, { message: "a tag is at most 60 characters" })).max(30, { message: "at most 30 tags" }).default([]),
    authorIds: z.array(z.uuid()).max(10, { message: "at most 10 authors" }).default([]),
    hero: z
      .object({
        mediaId: z.uuid(),
        alt: z.string().overwrite(withoutControlCharacters).trim().max(500).default(""),
        caption: optionalText(1_000),
        credit: optionalText(300),
      })
      .nullish()
      .transform((value) => value ?? null),
    sourceName: optionalText(200),
    sourceUrl: optionalUrl,
    seoTitle: optionalText(120),
    seoDescription: optionalText(320),
    canonicalUrl: optionalUrl,
    isFeatured: z.boolean().default(false),
  })
  .refine((input) => !input.sourceName || input.sourceUrl, { message: "a source name needs the source's URL", path: ["sourceUrl"] });

export type ArticleDraftInput = z.input<typeof articleDraftSchema>;
