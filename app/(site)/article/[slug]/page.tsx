import type { Metadata } from "next";
import { draftMode } from "next/headers";
import { notFound, permanentRedirect } from "next/navigation";
import { ArticleView } from "@/components/site/article-view";
import { getStaffPreview } from "@/lib/articles/preview";
import { getPublishedArticle, listRelatedArticles } from "@/lib/articles/queries";
import { getArticleRedirect } from "@/lib/redirects/queries";
import { articleMetadata } from "@/lib/seo/metadata";
import { getSiteSettings } from "@/lib/settings";
import { isValidSlug } from "@/lib/slug";

// Rendered on first request, then served from the page cache until a mutation expires its tags.
export const revalidate = 600;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

type Props = { params: Promise<{ slug: string }> };

async function load(params: Props["params"]) {
  const { slug } = await params;
  return isValidSlug(slug) ? getPublishedArticle(slug) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const article = await load(params);
  return article ? articleMetadata(article, await getSiteSettings()) : {};
}

export default async function ArticlePage({ params }: Props) {
  const { slug } = await params;
  // staff preview (draft mode, turned on from the editor): the unpublished text, for staff only
  if ((await draftMode()).isEnabled) {
    const preview = isValidSlug(slug) ? await getStaffPreview(slug) : null;
    if (preview) {
      return (
        <>
          <p role="note" className="mx-auto mb-6 max-w-[68ch] rounded border border-accent p-3 text-sm">
            Preview of the {preview.status} version.{" "}
            <a href={`/api/staff/articles/${preview.article.id}/preview?exit=1`} className="underline">
              Leave preview
            </a>
          </p>
          <ArticleView article={preview.article} related={[]} site={await getSiteSettings()} />
        </>
      );
    }
  }
  const article = await load(params);
  if (!article) {
    const current = isValidSlug(slug) ? await getArticleRedirect(slug) : null;
    if (current) permanentRedirect(`/article/${current}`);
    notFound();
  }
  const [related, site] = await Promise.all([listRelatedArticles(article.id, article.section?.slug ?? null, article.slug), getSiteSettings()]);
  return <ArticleView article={article} related={related} site={site} />;
}
