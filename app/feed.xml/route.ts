import { getRssFeed, rssResponse } from "@/lib/feeds/rss";

export const revalidate = 600;

export async function GET() {
  return rssResponse((await getRssFeed(null))!);
}
