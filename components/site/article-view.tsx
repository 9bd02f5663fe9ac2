import type { ArticleDetail, ArticleSummary } from "@/lib/articles/queries";
import { absoluteUrl } from "@/lib/seo/site-url";
import { articleJsonLd, serializeJsonLd } from "@/lib/seo/json-ld";
import type { SiteSettings } from "@/lib/settings";
import { ArticleBody } from "./article-body";
import { ArticleCard } from "./article-card";
import { Byline } from "./byline";
import { GoToSource } from "./go-to-source";
import { HeroImage } from "./hero-image";
import { ShareLinks } from "./share-links";
import { Time } from "./time";

export function ArticleView({ article, related, site }: { article: ArticleDetail; related: ArticleSummary[]; site: SiteSettings }) {
  const wasUpdated = new Date(article.updatedAt).getTime() - new Date(article.publishedAt).getTime() > 60_000;
  return (
    <>
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: serializeJsonLd(articleJsonLd(article, site)) }} />
      <article className="mx-auto max-w-[68ch]">
        <header className="mb-8">
          {article.section && (
            <nav aria-label="Breadcrumb" className="text-sm font-semibold uppercase tracking-wider text-accent">
              <a href={`/section/${article.section.slug}`}>{article.section.name}</a>
            </nav>
          )}
          <h1 className="mt-2 font-serif text-3xl font-bold leading-tight text-balance sm:text-5xl">{article.title}</h1>
          {article.dek && <p className="mt-4 text-xl text-muted">{article.dek}</p>}
          <p className="mt-4 text-sm text-muted">
            <Byline authors={article.authors} />
          </p>
          <p className="mt-1 text-sm text-muted">
            Published <Time value={article.publishedAt} timeZone={site.timeZone} withTime />
            {wasUpdated && (
              <>
                {" "}
                · Updated <Time value={article.updatedAt} timeZone={site.timeZone} withTime />
              </>
            )}{" "}
            · {article.readingMinutes} min read
          </p>
        </header>
        {article.hero && (
          <figure className="mb-8">
            <HeroImage image={article.hero} />
            {(article.heroCaption || article.heroCredit) && (
              <figcaption className="mt-2 text-sm text-muted">
                {article.heroCaption} {article.heroCredit && <span className="italic">{article.heroCredit}</span>}
              </figcaption>
            )}
          </figure>
        )}
        <ArticleBody blocks={article.body.content} />
        {article.corrections.length > 0 && (
          <section aria-labelledby="corrections" className="mt-10 border-l-4 border-accent pl-4 text-sm">
            <h2 id="corrections" className="font-bold">
              Corrections
            </h2>
            {article.corrections.map((c, i) => (
              <p key={i} className="mt-1">
                <Time value={c.createdAt} timeZone={site.timeZone} />: {c.note}
              </p>
            ))}
          </section>
        )}
        <GoToSource name={article.sourceName} url={article.sourceUrl} />
        {article.tags.length > 0 && (
          <nav aria-label="Tags" className="mt-8">
            <ul className="flex flex-wrap gap-2 text-sm">
              {article.tags.map((tag) => (
                <li key={tag.slug}>
                  <a href={`/tag/${tag.slug}`} className="inline-block rounded-full border border-rule px-3 py-1 hover:border-ink">
                    {tag.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <ShareLinks url={absoluteUrl(`/article/${article.slug}`)} title={article.title} />
      </article>
      {related.length >= 3 && (
        <aside aria-labelledby="related" className="no-print mx-auto mt-16 max-w-6xl border-t-2 border-ink pt-4">
          <h2 id="related" className="mb-6 text-sm font-bold uppercase tracking-wider">
            Related
          </h2>
          <div className="grid gap-8 sm:grid-cols-2 lg:grid-cols-4">
            {related.map((item) => (
              <ArticleCard key={item.id} article={item} timeZone={site.timeZone} />
            ))}
          </div>
        </aside>
      )}
    </>
  );
}
