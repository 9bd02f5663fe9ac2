"use client";

// Inside the site layout, so the masthead and section navigation stay. Never shows error details.
export default function SiteError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <h1 className="font-serif text-4xl font-bold">Something went wrong</h1>
      <p className="mt-4 text-muted">We could not show this page just now. Please try again in a moment.</p>
      <button type="button" onClick={reset} className="mt-6 rounded border border-rule px-4 py-2">
        Try again
      </button>
    </div>
  );
}
