import Link from "next/link";
import type { ArticleDetail } from "@/lib/articles/queries";
import { ArticleBody } from "./article-body";
import { Byline } from "./byline";
import { GoToSource } from "./go-to-source";
import { Time } from "./time";

export function ArticleView({ article }: { article: ArticleDetail }) {
  return (
    <article className="mx-auto max-w-[68ch]">
      <header className="mb-8">
        {article.section && (
          <p className="text-sm font-semibold uppercase tracking-wider text-accent">{article.section.name}</p>
        )}
        <h1 className="mt-2 font-serif text-3xl font-bold leading-tight sm:text-5xl">{article.title}</h1>
        {article.dek && <p className="mt-4 text-xl text-muted">{article.dek}</p>}
        <p className="mt-4 text-sm text-muted">
          <Byline authors={article.authors} /> · <Time value={article.publishedAt} /> · {article.readingMinutes} min read
        </p>
      </header>
      {article.hero && (
        <figure className="mb-8">
          {/* eslint-disable-next-line @next/next/no-img-element -- our own variants via srcset; the hero is the LCP element */}
          <img
            src={article.hero.src}
            srcSet={article.hero.srcSet}
            sizes="(min-width: 768px) 68ch, 100vw"
            width={article.hero.width}
            height={article.hero.height}
            alt={article.hero.alt}
            fetchPriority="high"
            className="w-full rounded-sm"
          />
          {(article.heroCaption || article.heroCredit) && (
            <figcaption className="mt-2 text-sm text-muted">
              {article.heroCaption} {article.heroCredit && <span>{article.heroCredit}</span>}
            </figcaption>
          )}
        </figure>
      )}
      <ArticleBody blocks={article.body.content} />
      {article.corrections.length > 0 && (
        <section aria-label="Corrections" className="mt-8 border-l-4 border-accent pl-4 text-sm">
          {article.corrections.map((c, i) => (
            <p key={i}>
              <strong>Correction (<Time value={c.createdAt} />):</strong> {c.note}
            </p>
          ))}
        </section>
      )}
      <GoToSource name={article.sourceName} url={article.sourceUrl} />
      {article.tags.length > 0 && (
        <ul aria-label="Tags" className="mt-8 flex flex-wrap gap-2 text-sm">
          {article.tags.map((tag) => (
            <li key={tag.slug} className="rounded-full border border-rule px-3 py-1">
              {tag.name}
            </li>
          ))}
        </ul>
      )}
      <p className="mt-10">
        <Link href="/" className="underline underline-offset-4">
          ← Front page
        </Link>
      </p>
    </article>
  );
}
