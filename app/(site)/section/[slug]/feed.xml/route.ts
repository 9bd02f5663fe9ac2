import { notFound } from "next/navigation";
import { getRssFeed, rssResponse } from "@/lib/feeds/rss";
import { getSectionRedirect } from "@/lib/redirects/queries";
import { isValidSlug } from "@/lib/slug";

export const revalidate = 600;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const xml = isValidSlug(slug) ? await getRssFeed(slug) : null;
  if (!xml) {
    // a renamed section's subscribers follow it to its new address
    const current = isValidSlug(slug) ? await getSectionRedirect(slug) : null;
    if (current) return new Response(null, { status: 308, headers: { Location: `/section/${current}/feed.xml` } });
    notFound();
  }
  return rssResponse(xml);
}
