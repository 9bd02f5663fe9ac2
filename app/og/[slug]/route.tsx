import { notFound } from "next/navigation";
import { ImageResponse } from "next/og";
import { getPublishedArticle } from "@/lib/articles/queries";
import { getSiteSettings } from "@/lib/settings";
import { isValidSlug } from "@/lib/slug";

// A generated social image for articles without a hero image. Published articles only.
export const revalidate = 600;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const article = isValidSlug(slug) ? await getPublishedArticle(slug) : null;
  if (!article) notFound();
  const site = await getSiteSettings();
  return new ImageResponse(
    (
      <div style={{ width: "100%", height: "100%", display: "flex", flexDirection: "column", justifyContent: "space-between", padding: 64, background: "#fbfaf7", color: "#16181d" }}>
        <div style={{ fontSize: 28, color: "#a4161a", textTransform: "uppercase", letterSpacing: 2 }}>{article.section?.name ?? site.name}</div>
        <div style={{ fontSize: article.title.length > 90 ? 48 : 64, fontWeight: 700, lineHeight: 1.15 }}>{article.title}</div>
        <div style={{ fontSize: 28, borderTop: "4px solid #16181d", paddingTop: 16 }}>{site.name}</div>
      </div>
    ),
    { width: 1200, height: 630 },
  );
}
