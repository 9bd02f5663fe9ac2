import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Notice } from "@/components/editor/form-fields";
import { EditorShell } from "@/components/editor/shell";
import { can } from "@/lib/auth/permissions";
import { requireStaffSession } from "@/lib/auth/session";
import { MAX_FEED_ITEMS } from "@/lib/import/feed-import";

export const metadata: Metadata = { title: "Import" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const count = (value: unknown) => (typeof value === "string" && /^\d{1,3}$/.test(value) ? Number(value) : null);

export default async function ImportPage({ searchParams }: Props) {
  const staff = await requireStaffSession("/editor/import");
  if (!can(staff.actor, "article:create")) notFound();
  const params = await searchParams;
  const created = count(params.created);
  const existing = count(params.existing) ?? 0;
  const skipped = count(params.skipped) ?? 0;
  const input = "mt-1 w-full rounded border border-rule bg-paper px-3 py-2";
  return (
    <EditorShell staff={staff} title="Import">
      <div className="mt-6 max-w-3xl space-y-10">
        {typeof params.error === "string" && <Notice tone="error">{params.error}</Notice>}
        {created !== null && (
          <Notice tone="info">
            {plural(created, "draft", "drafts")} created, {existing} already imported{skipped ? `, ${skipped} skipped (no link or title)` : ""}.
            {created > 0 && " Find them among the drafts on the dashboard."}
          </Notice>
        )}
        <section aria-labelledby="import-article">
          <h2 id="import-article" className="font-serif text-2xl font-bold">
            An article
          </h2>
          <p className="mt-1 text-sm text-muted">Paste plain text (headline, then paragraphs separated by blank lines) or Markdown, or upload a .txt or .md file of at most 512 kB. It is saved as your draft.</p>
          <form method="post" action="/api/staff/import/article" encType="multipart/form-data" className="mt-4 space-y-4">
            <div>
              <label htmlFor="import-text" className="block text-sm font-semibold">
                Article text
              </label>
              <textarea id="import-text" name="text" rows={14} className={`${input} font-mono text-sm`} />
            </div>
            <div>
              <label htmlFor="import-file" className="block text-sm font-semibold">
                Or a file
              </label>
              <input id="import-file" name="file" type="file" accept=".txt,.md,.markdown,text/plain,text/markdown" className="mt-1" />
            </div>
            <div>
              <label htmlFor="import-format" className="block text-sm font-semibold">
                Format
              </label>
              <select id="import-format" name="format" className={input}>
                <option value="plain">Plain text (or Markdown by file name)</option>
                <option value="markdown">Markdown</option>
              </select>
            </div>
            <div>
              <label htmlFor="import-source" className="block text-sm font-semibold">
                Source URL (optional)
              </label>
              <input id="import-source" name="sourceUrl" type="url" maxLength={2000} placeholder="https://example.com/original-story" className={input} />
            </div>
            <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
              Import as draft
            </button>
          </form>
        </section>
        <section aria-labelledby="import-feed">
          <h2 id="import-feed" className="font-serif text-2xl font-bold">
            From a feed
          </h2>
          <p className="mt-1 text-sm text-muted">Each new item of an RSS or Atom feed becomes a draft crediting the feed as its source. Items already imported are skipped.</p>
          <form method="post" action="/api/staff/import/feed" className="mt-4 space-y-4">
            <div>
              <label htmlFor="feed-url" className="block text-sm font-semibold">
                Feed URL
              </label>
              <input id="feed-url" name="url" type="url" required maxLength={2000} placeholder="https://example.com/feed.xml" className={input} />
            </div>
            <div>
              <label htmlFor="feed-count" className="block text-sm font-semibold">
                Newest items to import
              </label>
              <input id="feed-count" name="count" type="number" min={1} max={MAX_FEED_ITEMS} defaultValue={10} required className="mt-1 w-24 rounded border border-rule bg-paper px-3 py-2" />
            </div>
            <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
              Import items as drafts
            </button>
          </form>
        </section>
      </div>
    </EditorShell>
  );
}
