import type { Metadata } from "next";
import { ArticleCard } from "@/components/site/article-card";
import { getFrontPage } from "@/lib/articles/queries";
import { pageMetadata } from "@/lib/seo/metadata";
import { getSiteSettings } from "@/lib/settings";

export const revalidate = 600; // a safety net: publishing expires the front page's tag at once

export async function generateMetadata(): Promise<Metadata> {
  const site = await getSiteSettings();
  return pageMetadata(site, { title: { absolute: site.name }, path: "/" });
}

export default async function FrontPage() {
  const [{ lead, top, latest, sections }, { timeZone, name }] = await Promise.all([getFrontPage(), getSiteSettings()]);
  // the masthead above is the site's name as a link; the page's own heading names it for screen readers
  if (!lead)
    return (
      <>
        <h1 className="sr-only">{name}</h1>
        <p className="py-16 text-center text-muted">No stories have been published yet.</p>
      </>
    );
  return (
    <div className="space-y-12">
      <h1 className="sr-only">{name}: front page</h1>
      <section aria-label="Lead story">
        <ArticleCard article={lead} timeZone={timeZone} variant="lead" headingLevel={2} />
      </section>
      <div className="grid gap-10 lg:grid-cols-[3fr_1fr]">
        <section aria-labelledby="top-stories">
          <h2 id="top-stories" className="mb-4 border-b-2 border-ink pb-1 text-sm font-bold uppercase tracking-wider">
            Top stories
          </h2>
          <div className="grid gap-8 sm:grid-cols-2">
            {top.map((article) => (
              <ArticleCard key={article.id} article={article} timeZone={timeZone} />
            ))}
          </div>
        </section>
        <section aria-labelledby="latest">
          <h2 id="latest" className="mb-4 border-b-2 border-ink pb-1 text-sm font-bold uppercase tracking-wider">
            Latest
          </h2>
          <ol className="space-y-4">
            {latest.map((article) => (
              <li key={article.id} className="border-b border-rule pb-3">
                <ArticleCard article={article} timeZone={timeZone} variant="compact" />
              </li>
            ))}
          </ol>
        </section>
      </div>
      {sections.map((section) => (
        <section key={section.slug} aria-labelledby={`section-${section.slug}`}>
          {/* the link beside the heading, not in it: the heading (and the region it names) is the section's name alone */}
          <div className="mb-4 flex items-baseline justify-between border-b-2 border-ink pb-1">
            <h2 id={`section-${section.slug}`} className="text-sm font-bold uppercase tracking-wider">
              {section.name}
            </h2>
            <a href={`/section/${section.slug}`} className="text-sm underline-offset-4 hover:underline">
              More {section.name}
              <span className="sr-only"> stories</span> →
            </a>
          </div>
          {/* the newest story as a card, the rest as headlines: a front page to scan, light to load */}
          <div className="grid gap-8 sm:grid-cols-2">
            {section.articles[0] && <ArticleCard article={section.articles[0]} timeZone={timeZone} />}
            <ul className="space-y-4">
              {section.articles.slice(1).map((article) => (
                <li key={article.id} className="border-b border-rule pb-3">
                  <ArticleCard article={article} timeZone={timeZone} variant="compact" />
                </li>
              ))}
            </ul>
          </div>
        </section>
      ))}
    </div>
  );
}
