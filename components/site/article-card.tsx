import Link from "next/link";
import type { ArticleSummary } from "@/lib/articles/queries";
import { Byline } from "./byline";
import { Time } from "./time";

export function ArticleCard({ article, lead = false }: { article: ArticleSummary; lead?: boolean }) {
  return (
    <article className={lead ? "sm:col-span-2 lg:col-span-3" : ""}>
      {article.hero && (
        // eslint-disable-next-line @next/next/no-img-element -- our own variants via srcset
        <img
          src={article.hero.src}
          srcSet={article.hero.srcSet}
          sizes={lead ? "(min-width: 1024px) 1100px, 100vw" : "(min-width: 1024px) 360px, (min-width: 640px) 50vw, 100vw"}
          width={article.hero.width}
          height={article.hero.height}
          alt={article.hero.alt}
          loading={lead ? "eager" : "lazy"}
          className="mb-3 aspect-video w-full rounded-sm object-cover"
        />
      )}
      {article.section && <p className="text-xs font-semibold uppercase tracking-wider text-accent">{article.section.name}</p>}
      <h2 className={`font-serif font-bold leading-tight ${lead ? "text-3xl sm:text-4xl" : "text-xl"}`}>
        <Link href={`/article/${article.slug}`} className="hover:underline">
          {article.title}
        </Link>
      </h2>
      {article.dek && <p className="mt-2 text-muted">{article.dek}</p>}
      <p className="mt-2 text-sm text-muted">
        <Byline authors={article.authors} /> · <Time value={article.publishedAt} />
      </p>
    </article>
  );
}
