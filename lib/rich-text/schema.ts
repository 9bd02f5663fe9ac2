import { z } from "zod";
import { withoutControlCharacters } from "@/lib/text";
import { isSafeHref, isSafeImageSrc } from "./urls";

// The allow-list for stored article bodies: Tiptap/ProseMirror JSON restricted to these nodes and marks.
// Parsing strips unknown attributes, and an unknown node or mark type is an error, so what is stored is
// exactly what the reader renderer knows how to draw.

const MAX_TEXT = 20_000;

const markSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("bold") }),
  z.object({ type: z.literal("italic") }),
  z.object({ type: z.literal("underline") }),
  z.object({ type: z.literal("strike") }),
  z.object({ type: z.literal("code") }),
  z.object({
    type: z.literal("link"),
    attrs: z.object({
      href: z.string().trim().max(2_000).refine(isSafeHref, { message: "links must be http(s), mailto or site paths" }),
    }),
  }),
]);

const textSchema = z.object({
  type: z.literal("text"),
  // control characters (NUL above all) cannot be stored; a text node of nothing else is refused
  text: z.string().overwrite(withoutControlCharacters).min(1).max(MAX_TEXT),
  marks: z.array(markSchema).max(6).optional(),
});

const hardBreakSchema = z.object({ type: z.literal("hardBreak") });
const inlineSchema = z.discriminatedUnion("type", [textSchema, hardBreakSchema]);
const inlineContent = z.array(inlineSchema).max(2_000).optional();

const paragraphSchema = z.object({ type: z.literal("paragraph"), content: inlineContent });

const headingSchema = z.object({
  type: z.literal("heading"),
  attrs: z.object({ level: z.union([z.literal(2), z.literal(3), z.literal(4)]) }),
  content: inlineContent,
});

const blockquoteSchema = z.object({
  type: z.literal("blockquote"),
  content: z.array(paragraphSchema).min(1).max(50),
});

const pullQuoteSchema = z.object({ type: z.literal("pullQuote"), content: inlineContent });

const horizontalRuleSchema = z.object({ type: z.literal("horizontalRule") });

const figureSchema = z.object({
  type: z.literal("figure"),
  attrs: z.object({
    src: z.string().trim().max(2_000).refine(isSafeImageSrc, { message: "images must come from the media library or https" }),
    alt: z.string().trim().min(1, { message: "every image needs alt text" }).max(500),
    caption: z.string().max(1_000).nullish(),
    credit: z.string().max(300).nullish(),
    mediaId: z.uuid().nullish(),
  }),
});

export type ListNode = {
  type: "bulletList" | "orderedList";
  attrs?: { start?: number };
  content: ListItemNode[];
};
export type ListItemNode = { type: "listItem"; content: Array<z.infer<typeof paragraphSchema> | ListNode> };

const listSchema: z.ZodType<ListNode> = z.lazy(() =>
  z.object({
    type: z.enum(["bulletList", "orderedList"]),
    attrs: z.object({ start: z.number().int().min(0).max(100_000).optional() }).optional(),
    content: z.array(listItemSchema).min(1).max(500),
  }),
);

const listItemSchema: z.ZodType<ListItemNode> = z.lazy(() =>
  z.object({
    type: z.literal("listItem"),
    content: z.array(z.union([paragraphSchema, listSchema])).min(1).max(50),
  }),
);

const blockSchema = z.union([
  paragraphSchema,
  headingSchema,
  blockquoteSchema,
  pullQuoteSchema,
  horizontalRuleSchema,
  figureSchema,
  listSchema,
]);

// Lists may hold lists; a document nested deeper than any writer would (lists a dozen deep take about 55
// levels of JSON) is refused before the allow-list is checked, whose recursion would otherwise run
// out of stack (a RangeError, answered as an outage instead of the 400 bad input deserves).
const MAX_JSON_DEPTH = 64;
const TOO_DEEP = "lists are nested too deeply (a dozen levels at most)";

/** Whether a parsed JSON value nests objects and arrays more than `max` deep; iterative, so any depth is safe to ask about. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

const documentSchema = z.object({
  type: z.literal("doc"),
  content: z.array(blockSchema).max(5_000),
});

// a pipe stops at the first stage's failure: the deep document never reaches documentSchema
export const richTextSchema = z
  .unknown()
  .refine((value) => !nestedDeeperThan(value, MAX_JSON_DEPTH), { message: TOO_DEEP })
  .pipe(documentSchema);

export type RichTextDoc = z.infer<typeof richTextSchema>;
export type BlockNode = z.infer<typeof blockSchema>;
export type InlineNode = z.infer<typeof inlineSchema>;
export type TextNode = z.infer<typeof textSchema>;
export type Mark = z.infer<typeof markSchema>;
export type ParagraphNode = z.infer<typeof paragraphSchema>;
export type FigureNode = z.infer<typeof figureSchema>;

/** Validates a body against the allow-list; returns the cleaned document or a message naming the first problem. */
export function parseRichText(input: unknown): { ok: true; doc: RichTextDoc } | { ok: false; message: string } {
  const result = richTextSchema.safeParse(input);
  if (result.success) return { ok: true, doc: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? ` ${issue.path.join(".")}` : "";
  return { ok: false, message: `body${where}: ${issue?.message ?? "is not a valid document"}` };
}
