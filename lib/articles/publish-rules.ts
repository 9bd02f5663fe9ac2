import type { Article } from "@/db/schema";
import { parseRichText } from "@/lib/rich-text/schema";

// What an article needs before readers see it: checked when it is published or scheduled, and on
// every save while it is live, so an edit cannot leave a published article without a headline.

/** What a published article needs that this one lacks, as sentences an editor can act on. */
export function publishProblems(article: Pick<Article, "title" | "slug" | "body" | "heroMediaId" | "heroAlt">): string[] {
  const problems: string[] = [];
  if (!article.title.trim()) problems.push("Add a headline.");
  const body = parseRichText(article.body);
  const hasText = body.ok && body.doc.content.some((block) => block.type !== "paragraph" || (block.content?.length ?? 0) > 0);
  if (!hasText) problems.push("Write the body.");
  if (!body.ok) problems.push(`Fix the body: ${body.message}.`);
  if (article.heroMediaId && !article.heroAlt?.trim()) problems.push("Describe the hero image (alt text).");
  return problems;
}

