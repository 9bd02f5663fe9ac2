import type { Metadata } from "next";
import { ThemeScript, ThemeToggle } from "@/components/site/theme-script";
import { listSections } from "@/lib/sections/queries";
import { feedLinks } from "@/lib/seo/metadata";
import { getSiteSettings } from "@/lib/settings";

// the site's name as staff set it, in every reader page's title (the root layout's is only the default)
export async function generateMetadata(): Promise<Metadata> {
  const site = await getSiteSettings();
  return { title: { default: site.name, template: `%s · ${site.name}` }, description: site.description, alternates: { types: feedLinks(site) } };
}

export default async function SiteLayout({ children }: { children: React.ReactNode }) {
  const [sections, site] = await Promise.all([listSections(), getSiteSettings()]);
  return (
    <>
      <ThemeScript />
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:bg-paper focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-rule">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 pt-4">
          <a href="/search" className="text-sm underline-offset-4 hover:underline">
            Search
          </a>
          <ThemeToggle />
        </div>
        <div className="mx-auto max-w-6xl px-4 pb-3 pt-2 text-center">
          <a href="/" className="font-serif text-3xl font-bold tracking-tight sm:text-5xl">
            {site.logo ? (
              // the logo is small and above the fold: no lazy loading, its own size to reserve the space
              <img src={site.logo.src} alt={site.name} width={site.logo.width} height={site.logo.height} className="mx-auto h-12 w-auto sm:h-16" />
            ) : (
              site.name
            )}
          </a>
        </div>
        <nav aria-label="Sections" className="border-t border-rule">
          <ul className="mx-auto flex max-w-6xl gap-x-5 overflow-x-auto px-4 py-2 text-sm font-semibold sm:justify-center">
            {sections.map((section) => (
              <li key={section.slug} className="shrink-0">
                <a href={`/section/${section.slug}`} className="hover:underline">
                  {section.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        {children}
      </main>
      <footer className="border-t border-rule py-8 text-center text-sm text-muted">
        <p>
          © {site.name} ·{" "}
          <a href="/feed.xml" className="underline underline-offset-4">
            RSS feed
          </a>
        </p>
      </footer>
    </>
  );
}
