import Link from "next/link";

export default function SiteLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-paper focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-rule">
        <div className="mx-auto max-w-6xl px-4 py-5 text-center">
          <Link href="/" className="font-serif text-3xl font-bold tracking-tight sm:text-5xl">
            Top One Magazine
          </Link>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        {children}
      </main>
      <footer className="border-t border-rule py-6 text-center text-sm text-muted">© Top One Magazine</footer>
    </>
  );
}
