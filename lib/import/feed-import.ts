import "server-only";
import { inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import type { Actor } from "@/lib/auth/permissions";
import { ValidationError } from "@/lib/errors";
import { safeFetch } from "@/lib/http/safe-fetch";
import { doc, paragraph } from "@/lib/rich-text/build";
import { decodeFeedText, parseFeed } from "./feed";

// The aggregator workflow: a feed's newest items become drafts that credit their source.

export const MAX_FEED_ITEMS = 20;

export type FeedImportResult = { created: number; alreadyImported: number; skipped: number };

const FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1";

/**
 * Fetches `url` (SSRF-checked, bounded) and saves one draft per item among its first `count` whose
 * link no article cites yet, so importing the same feed again adds only what is new.
 */
export async function importFeed(actor: Actor, author: string, url: string, count: number): Promise<FeedImportResult> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_FEED_ITEMS) throw new ValidationError(`Choose between 1 and ${MAX_FEED_ITEMS} items.`);
  if (!url.trim()) throw new ValidationError("Give the feed's URL.");
  const fetched = await safeFetch(url, { accept: FEED_ACCEPT });
  const feed = parseFeed(decodeFeedText(fetched.body, fetched.contentType), fetched.url);
  const items = feed.items.slice(0, count);
  const sourceName = feed.title || new URL(fetched.url).hostname.replace(/^www\./, "");

  const db = await getDb();
  const links = items.map((item) => item.link);
  const known = new Set(
    links.length ? (await db.select({ sourceUrl: articles.sourceUrl }).from(articles).where(inArray(articles.sourceUrl, links))).map((row) => row.sourceUrl) : [],
  );
  const result: FeedImportResult = { created: 0, alreadyImported: 0, skipped: feed.skipped };
  for (const item of items) {
    if (known.has(item.link)) {
      result.alreadyImported++;
      continue;
    }
    known.add(item.link);
    const paragraphs = item.paragraphs.length ? item.paragraphs.slice(0, 1_000) : [`The feed gave no summary; read the original at ${item.link}`];
    try {
      await createArticle(actor, {
        title: item.title,
        body: doc(paragraphs.map((text) => paragraph(text.slice(0, 20_000)))),
        authors: [author],
        sourceName,
        sourceUrl: item.link,
        status: "draft",
      });
      result.created++;
    } catch (error) {
      // one odd item (an over-long link, say) must not stop the rest
      if (!(error instanceof ValidationError)) throw error;
      result.skipped++;
    }
  }
  return result;
}
