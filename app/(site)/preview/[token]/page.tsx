import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ArticleView } from "@/components/site/article-view";
import { getArticleForPreview, readPreviewToken } from "@/lib/articles/preview";
import { getSiteSettings } from "@/lib/settings";

// A shared preview link: one unpublished article, exactly as readers will see it, until the link
// expires. Never cached, never indexed.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Preview", robots: { index: false, follow: false } };

type Props = { params: Promise<{ token: string }> };

export default async function SharedPreviewPage({ params }: Props) {
  const { token } = await params;
  const id = readPreviewToken(token);
  const article = id ? await getArticleForPreview(id) : null;
  if (!article) notFound();
  const site = await getSiteSettings();
  return (
    <>
      <p role="note" className="mx-auto mb-6 max-w-[68ch] rounded border border-accent p-3 text-sm">
        Preview: this article is not published. The link shows this article only and expires.
      </p>
      <ArticleView article={article} related={[]} site={site} />
    </>
  );
}
