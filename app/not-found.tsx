import Link from "next/link";
import { NotFoundMessage } from "@/components/site/not-found-message";

// Addresses that match no route at all: a light masthead, since the site layout is not involved.
export default function NotFound() {
  return (
    <>
      <header className="border-b border-rule py-5 text-center">
        <Link prefetch={false} href="/" className="font-serif text-3xl font-bold tracking-tight">
          Top One Magazine
        </Link>
      </header>
      <main id="main" className="px-4">
        <NotFoundMessage />
      </main>
    </>
  );
}
