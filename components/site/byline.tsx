import type { AuthorByline } from "@/lib/articles/queries";

export function Byline({ authors }: { authors: AuthorByline[] }) {
  if (authors.length === 0) return <span>By Top One Magazine staff</span>;
  const names = authors.map((a) => a.name);
  const last = names.pop();
  return <span>By {names.length ? `${names.join(", ")} and ${last}` : last}</span>;
}
