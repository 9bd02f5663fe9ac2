import { sectionFeedHandler } from "@/lib/feeds/routes";

export const revalidate = 600;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

export const GET = sectionFeedHandler("atom");
