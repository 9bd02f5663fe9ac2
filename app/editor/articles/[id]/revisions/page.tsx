import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Notice } from "@/components/editor/form-fields";
import { EditorShell } from "@/components/editor/shell";
import { getArticleForEditing } from "@/lib/articles/editing";
import { compareRevisions, listRevisions } from "@/lib/articles/revisions";
import { requireStaffSession } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { utcMinute } from "@/lib/text";

export const metadata: Metadata = { title: "Revisions" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };


export default async function RevisionsPage({ params, searchParams }: Props) {
  const { id } = await params;
  const staff = await requireStaffSession(`/editor/articles/${encodeURIComponent(id)}/revisions`);
  const loaded = await getArticleForEditing(staff.actor, id).catch((error: unknown) => {
    if (error instanceof DomainError && (error.status === 403 || error.status === 404)) notFound();
    throw error;
  });
  const { article, editable } = loaded;
  const entries = await listRevisions(staff.actor, id);
  const query = await searchParams;
  // by default: the newest revision against the one before it
  const from = typeof query.from === "string" ? query.from : entries[1]?.id;
  const to = typeof query.to === "string" ? query.to : entries[0]?.id;
  const diff = from && to && from !== to ? await compareRevisions(staff.actor, id, from, to).catch((error: unknown) => (error instanceof DomainError ? error.message : Promise.reject(error))) : null;
  return (
    <EditorShell staff={staff} title={`Revisions of “${article.title || "Untitled draft"}”`}>
      <p className="mt-2 text-sm">
        <a href={`/editor/articles/${id}`} className="underline">
          ← Back to the editor
        </a>{" "}
        · current version {article.version}
      </p>
      {typeof query.error === "string" && <Notice tone="error">{query.error}</Notice>}
      {query.done === "restore" && <Notice tone="info">The revision was restored as a new version.</Notice>}
      <form method="get" className="mt-6">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Revisions, newest first</caption>
          <thead>
            <tr className="border-b border-rule">
              <th scope="col" className="py-2">From</th>
              <th scope="col" className="py-2">To</th>
              <th scope="col" className="py-2">Version</th>
              <th scope="col" className="py-2">Saved</th>
              <th scope="col" className="py-2">By</th>
              <th scope="col" className="py-2"><span className="sr-only">Restore</span></th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} className="border-b border-rule" data-revision-version={entry.version}>
                <td className="py-2">
                  <input type="radio" name="from" value={entry.id} defaultChecked={entry.id === from} aria-label={`Compare from version ${entry.version}`} />
                </td>
                <td className="py-2">
                  <input type="radio" name="to" value={entry.id} defaultChecked={entry.id === to} aria-label={`Compare to version ${entry.version}`} />
                </td>
                <td className="py-2">
                  {entry.version}
                  {entry.autosave && <span className="text-muted"> (autosave)</span>}
                  {entry.setAside && <span className="text-muted"> (set aside in a conflict, never saved to the article)</span>}
                </td>
                <td className="py-2">
                  <time dateTime={entry.createdAt.toISOString()}>{utcMinute(entry.createdAt)}</time>
                </td>
                <td className="py-2">{entry.authorName ?? "someone no longer on the staff"}</td>
                <td className="py-2">
                  {editable && (
                    <button type="submit" formMethod="post" formAction={`/api/staff/articles/${id}/restore?revision=${entry.id}&version=${article.version}`} className="rounded border border-rule px-2 py-1">
                      {entry.setAside ? "Restore the set-aside copy" : `Restore version ${entry.version}`}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="submit" className="mt-3 rounded bg-ink px-3 py-1 font-semibold text-paper">
          Compare
        </button>
      </form>
      <section aria-label="Changes" className="mt-8 space-y-4">
        {typeof diff === "string" && <Notice tone="error">{diff}</Notice>}
        {Array.isArray(diff) && diff.length === 0 && <p>These two revisions have the same text.</p>}
        {Array.isArray(diff) &&
          diff.map((change) => (
            <div key={change.field}>
              <h2 className="font-semibold">{change.field}</h2>
              <p className="mt-1 whitespace-pre-wrap rounded border border-rule p-2 text-sm">
                {change.parts.map((part, index) =>
                  part.added ? (
                    <ins key={index} className="bg-green-200 text-green-950 no-underline">
                      {part.value}
                    </ins>
                  ) : part.removed ? (
                    <del key={index} className="bg-red-200 text-red-950">
                      {part.value}
                    </del>
                  ) : (
                    <span key={index}>{part.value}</span>
                  ),
                )}
              </p>
            </div>
          ))}
      </section>
    </EditorShell>
  );
}
