import { NotFoundMessage } from "@/components/site/not-found-message";
import { ThemeScript } from "@/components/site/theme-script";

// Addresses that match no route at all: a light masthead, since the site layout is not involved.
export default function NotFound() {
  return (
    <>
      <ThemeScript />
      <header className="border-b border-rule py-5 text-center">
        <a href="/" className="font-serif text-3xl font-bold tracking-tight">
          Top One Magazine
        </a>
      </header>
      <main id="main" className="px-4">
        <NotFoundMessage />
      </main>
    </>
  );
}
