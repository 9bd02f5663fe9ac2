import type { ArticleSummary } from "@/lib/articles/summaries";
import { cn } from "@/lib/utils";
import { Byline } from "./byline";
import { Time } from "./time";

type Variant = "lead" | "top" | "list" | "compact";

const headlineSize: Record<Variant, string> = {
  lead: "text-3xl sm:text-4xl lg:text-5xl",
  top: "text-xl",
  list: "text-lg",
  compact: "text-base",
};

export function ArticleCard({ article, timeZone, variant = "top", headingLevel = 3 }: { article: ArticleSummary; timeZone: string; variant?: Variant; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const showImage = article.hero && variant !== "compact";
  return (
    <article className={cn(variant === "lead" && "grid gap-6 lg:grid-cols-[3fr_2fr] lg:items-center", variant === "list" && "flex gap-4")}>
      {showImage && (
        // eslint-disable-next-line @next/next/no-img-element -- our own variants via srcset
        <img
          src={article.hero!.src}
          srcSet={article.hero!.srcSet}
          sizes={variant === "lead" ? "(min-width: 1024px) 680px, 100vw" : variant === "list" ? "120px" : "(min-width: 1024px) 280px, (min-width: 640px) 50vw, 100vw"}
          width={article.hero!.width}
          height={article.hero!.height}
          alt={article.hero!.alt}
          loading={variant === "lead" ? "eager" : "lazy"}
          fetchPriority={variant === "lead" ? "high" : undefined}
          className={cn("rounded-sm object-cover", variant === "list" ? "aspect-square w-24 shrink-0 sm:w-28" : "mb-3 aspect-video w-full")}
        />
      )}
      <div className="min-w-0">
        {article.section && variant !== "compact" && (
          <p className="text-xs font-semibold uppercase tracking-wider text-accent">{article.section.name}</p>
        )}
        <Heading className={cn("mt-1 font-serif font-bold leading-tight", headlineSize[variant])}>
          <a href={`/article/${article.slug}`} className="hover:underline">
            {article.title}
          </a>
        </Heading>
        {article.dek && variant !== "compact" && <p className={cn("mt-2 text-muted", variant === "lead" && "text-lg")}>{article.dek}</p>}
        <p className="mt-2 text-sm text-muted">
          <Byline authors={article.authors} link={false} /> · <Time value={article.publishedAt} timeZone={timeZone} />
        </p>
      </div>
    </article>
  );
}
