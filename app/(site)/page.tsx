import { ArticleCard } from "@/components/site/article-card";
import { listPublishedArticles } from "@/lib/articles/queries";

// TODO(#3): cached and tagged reader pages; rendered per request until then.
export const dynamic = "force-dynamic";

export default async function FrontPage() {
  const articles = await listPublishedArticles({ limit: 30 });
  if (articles.length === 0) {
    return <p className="py-16 text-center text-muted">No stories have been published yet.</p>;
  }
  const [lead, ...rest] = articles;
  return (
    <>
      <h1 className="sr-only">Latest stories</h1>
      <div className="grid gap-x-8 gap-y-10 sm:grid-cols-2 lg:grid-cols-3">
        {lead && <ArticleCard article={lead} lead />}
        {rest.map((article) => (
          <ArticleCard key={article.slug} article={article} />
        ))}
      </div>
    </>
  );
}
