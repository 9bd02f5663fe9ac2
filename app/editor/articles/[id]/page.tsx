import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ArticleEditor } from "@/components/editor/article-editor";
import { Notice } from "@/components/editor/form-fields";
import { EditorShell } from "@/components/editor/shell";
import { getArticleForEditing } from "@/lib/articles/editing";
import { editorChoices } from "@/lib/articles/staff-list";
import { can } from "@/lib/auth/permissions";
import { requireStaffSession } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { usableImages } from "@/lib/media/library";
import { getSiteSettings } from "@/lib/settings";

export const metadata: Metadata = { title: "Edit article" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function EditArticlePage({ params, searchParams }: Props) {
  const { id } = await params;
  const staff = await requireStaffSession(`/editor/articles/${encodeURIComponent(id)}`);
  const loaded = await getArticleForEditing(staff.actor, id).catch((error: unknown) => {
    // someone else's draft, or no such article: the same answer
    if (error instanceof DomainError && (error.status === 403 || error.status === 404)) notFound();
    throw error;
  });
  const [choices, images, site, query] = await Promise.all([editorChoices(staff.actor), usableImages(staff.actor), getSiteSettings(), searchParams]);
  const { article, editable } = loaded;
  return (
    <EditorShell staff={staff} title={article.title || "Untitled draft"}>
      {typeof query.error === "string" && <Notice tone="error">{query.error}</Notice>}
      {article.status === "published" && (
        <p className="mt-2 text-sm">
          Live at{" "}
          <a href={`/article/${article.slug}`} className="underline">
            /article/{article.slug}
          </a>
        </p>
      )}
      <ArticleEditor
        key={`${article.id}:${article.version}`}
        article={article}
        editable={editable}
        canPublish={can(staff.actor, "article:publish")}
        sections={choices.sections}
        people={choices.people}
        images={images}
        siteTimeZone={site.timeZone}
      />
      {article.status === "published" && can(staff.actor, "article:publish") && (
        <section aria-labelledby="corrections-heading" className="mt-10 max-w-2xl space-y-3">
          <h2 id="corrections-heading" className="font-serif text-2xl font-bold">
            Corrections
          </h2>
          {query.done === "correct" && <Notice tone="info">The correction was added: readers see it under the article now.</Notice>}
          {article.corrections.length > 0 ? (
            <ul className="space-y-2 text-sm">
              {article.corrections.map((c) => (
                <li key={c.id}>
                  <time dateTime={c.createdAt}>{c.createdAt.slice(0, 10)}</time>: {c.note}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted">None: a correction is a dated note shown with the article, for a published fact that was wrong.</p>
          )}
          <form method="post" action={`/api/staff/articles/${article.id}/correct`} className="space-y-2">
            <label htmlFor="correction-note" className="block text-sm font-semibold">
              New correction
            </label>
            <textarea id="correction-note" name="note" required maxLength={2000} rows={3} className="w-full rounded border border-rule bg-paper px-3 py-2" />
            <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
              Add correction
            </button>
          </form>
        </section>
      )}
    </EditorShell>
  );
}
