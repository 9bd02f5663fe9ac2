import { notFound } from "next/navigation";
import { getRssFeed, rssResponse } from "@/lib/feeds/rss";
import { isValidSlug } from "@/lib/slug";

export const revalidate = 600;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const xml = isValidSlug(slug) ? await getRssFeed(slug) : null;
  if (!xml) notFound();
  return rssResponse(xml);
}
