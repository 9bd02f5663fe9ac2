import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ArticleView } from "@/components/site/article-view";
import { getPublishedArticle } from "@/lib/articles/queries";
import { isValidSlug } from "@/lib/slug";

// TODO(#3): cached and tagged reader pages; rendered per request until then.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

async function load(params: Props["params"]) {
  const { slug } = await params;
  return isValidSlug(slug) ? getPublishedArticle(slug) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const article = await load(params);
  return article ? { title: article.title, description: article.dek ?? undefined } : {};
}

export default async function ArticlePage({ params }: Props) {
  const article = await load(params);
  if (!article) notFound();
  return <ArticleView article={article} />;
}
