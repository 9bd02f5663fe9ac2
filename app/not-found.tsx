import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-24 text-center">
      <h1 className="font-serif text-4xl font-bold">Page not found</h1>
      <p className="mt-4 text-muted">We could not find that page. It may have moved, or the address may be mistyped.</p>
      <p className="mt-6">
        <Link href="/" className="underline underline-offset-4">
          Go to the front page
        </Link>
      </p>
    </main>
  );
}
