
export function NotFoundMessage() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <h1 className="font-serif text-4xl font-bold">Page not found</h1>
      <p className="mt-4 text-muted">We could not find that page. It may have moved, or the address may be mistyped.</p>
      <p className="mt-6 flex justify-center gap-6">
        <a href="/" className="underline underline-offset-4">
          Go to the front page
        </a>
        <a href="/search" className="underline underline-offset-4">
          Search the magazine
        </a>
      </p>
    </div>
  );
}
