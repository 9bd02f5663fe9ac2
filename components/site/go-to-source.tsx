import { isHttpUrl } from "@/lib/rich-text/urls";

/** Attribution to the outlet that first ran the story. */
export function GoToSource({ name, url }: { name: string | null; url: string | null }) {
  if (!url || !isHttpUrl(url)) return null;
  return (
    <aside aria-label="Source" className="mt-10 border-t border-rule pt-4">
      <p className="text-sm text-muted">Originally published by {name ?? new URL(url).hostname}.</p>
      <a href={url} rel="noopener noreferrer nofollow" className="mt-1 inline-block font-semibold text-accent underline underline-offset-4">
        Go To Source
      </a>
    </aside>
  );
}
