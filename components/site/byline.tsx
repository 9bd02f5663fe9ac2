import { Fragment } from "react";
import type { AuthorByline } from "@/lib/articles/summaries";

/** "By A, B and C", each name linking to the author's page unless `link` is false (inside a card link list). */
export function Byline({ authors, link = true }: { authors: AuthorByline[]; link?: boolean }) {
  if (authors.length === 0) return <span>By the editors</span>;
  return (
    <span>
      By{" "}
      {authors.map((author, index) => (
        <Fragment key={author.slug}>
          {index > 0 && (index === authors.length - 1 ? " and " : ", ")}
          {link ? (
            <a href={`/author/${author.slug}`} className="underline-offset-4 hover:underline" rel="author">
              {author.name}
            </a>
          ) : (
            author.name
          )}
        </Fragment>
      ))}
    </span>
  );
}
