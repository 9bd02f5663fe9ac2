import "server-only";
import { notFound } from "next/navigation";
import { getSectionRedirect } from "@/lib/redirects/queries";
import { isValidSlug } from "@/lib/slug";
import { feedPath, feedResponse, getFeed, type FeedFormat } from "./feeds";

// The feed route handlers, one per format and place (app/feed.*, app/(site)/section/[slug]/feed.*).

export function siteFeedHandler(format: FeedFormat) {
  return async function GET() {
    return feedResponse(format, (await getFeed(format, null))!);
  };
}

export function sectionFeedHandler(format: FeedFormat) {
  return async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
    const { slug } = await params;
    const body = isValidSlug(slug) ? await getFeed(format, slug) : null;
    if (!body) {
      // a renamed section's subscribers follow it to its new address
      const current = isValidSlug(slug) ? await getSectionRedirect(slug) : null;
      if (current) return new Response(null, { status: 308, headers: { Location: feedPath(format, current) } });
      notFound();
    }
    return feedResponse(format, body);
  };
}
