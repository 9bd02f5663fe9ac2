import { notFound } from "next/navigation";

// An address no route matches gets the reader site's 404, with its masthead and section navigation
// (app/(site)/not-found.tsx), rather than the bare root one. Rendered per request, never cached per
// address: a crawler inventing paths must not fill the page cache.
export const dynamic = "force-dynamic";

export default function MissingPage(): never {
  notFound();
}
