import type { Metadata } from "next";
import { Notice } from "@/components/editor/form-fields";
import { EditorShell } from "@/components/editor/shell";
import { dashboardQueues, editorChoices, listStaffArticles, parseArticleFilters, SORTS, ARTICLE_STATUSES, type StaffArticleRow } from "@/lib/articles/staff-list";
import { requireStaffSession } from "@/lib/auth/session";
import { ValidationError } from "@/lib/errors";
import { utcMinute } from "@/lib/text";

export const metadata: Metadata = { title: "Dashboard" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function EditorHome({ searchParams }: Props) {
  const staff = await requireStaffSession("/editor");
  const params = await searchParams;
  let filters;
  let filterError: string | null = null;
  try {
    filters = parseArticleFilters(params);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    filterError = error.message;
    filters = parseArticleFilters({});
  }
  const [queues, list, choices] = await Promise.all([dashboardQueues(staff.actor), listStaffArticles(staff.actor, filters), editorChoices(staff.actor)]);
  const query = (page: number) => `/editor?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([k, v]) => k !== "page" && v !== undefined && v !== "").map(([k, v]) => [k, String(v)])), page: String(page) })}`;
  return (
    <EditorShell staff={staff} title="Dashboard">
      <form method="post" action="/api/staff/articles" className="mt-4">
        <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
          New article
        </button>
      </form>
      <div className="mt-6 grid gap-6 md:grid-cols-2 xl:grid-cols-4">
        <Queue title="My drafts" rows={queues.drafts} empty="No drafts: start a new article." />
        <Queue title="In review" rows={queues.review} empty="Nothing waits for review." />
        <Queue title="Scheduled" rows={queues.scheduled} empty="Nothing is scheduled." when="scheduledAt" />
        <Queue title="Recently published" rows={queues.published} empty="Nothing published yet." when="publishedAt" />
      </div>

      <h2 className="mt-10 font-serif text-2xl font-bold">All articles</h2>
      {filterError && <Notice tone="error">{filterError}</Notice>}
      <form method="get" action="/editor" role="search" aria-label="Filter articles" className="mt-3 flex flex-wrap items-end gap-3 text-sm">
        <Select name="status" label="Status" value={filters.status ?? ""} options={[["", "Any status"], ...ARTICLE_STATUSES.map((s) => [s, s[0]!.toUpperCase() + s.slice(1)] as [string, string])]} />
        <Select name="section" label="Section" value={filters.section ?? ""} options={[["", "Any section"], ...choices.sections.map((s) => [s.id, s.name] as [string, string])]} />
        <Select name="author" label="Author" value={filters.author ?? ""} options={[["", "Any author"], ...choices.people.map((p) => [p.id, p.name] as [string, string])]} />
        <div>
          <label htmlFor="filter-q" className="block font-semibold">
            Headline contains
          </label>
          <input id="filter-q" name="q" type="search" maxLength={200} defaultValue={filters.q ?? ""} className="mt-1 rounded border border-rule bg-paper px-2 py-1" />
        </div>
        <Select name="sort" label="Sort by" value={filters.sort} options={Object.entries(SORTS)} />
        <button type="submit" className="rounded border border-rule px-3 py-1 font-semibold">
          Filter
        </button>
      </form>
      <p className="mt-3 text-sm text-muted">
        {list.total} {list.total === 1 ? "article" : "articles"}
      </p>
      {list.rows.length > 0 ? (
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-rule">
                <th scope="col" className="py-2 pr-3">Headline</th>
                <th scope="col" className="py-2 pr-3">Status</th>
                <th scope="col" className="py-2 pr-3">Section</th>
                <th scope="col" className="py-2 pr-3">Authors</th>
                <th scope="col" className="py-2">Last changed</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((row) => (
                <tr key={row.id} className="border-b border-rule">
                  <td className="py-2 pr-3">
                    <a href={`/editor/articles/${row.id}`} className="font-semibold underline-offset-2 hover:underline">
                      {row.title || "Untitled draft"}
                    </a>
                  </td>
                  <td className="py-2 pr-3">{row.status}</td>
                  <td className="py-2 pr-3">{row.section ?? "—"}</td>
                  <td className="py-2 pr-3">{row.authors || "—"}</td>
                  <td className="py-2">
                    <time dateTime={row.updatedAt.toISOString()}>{utcMinute(row.updatedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="mt-2">No article matches these filters.</p>
      )}
      {list.totalPages > 1 && (
        <nav aria-label="Article pages" className="mt-4 flex gap-4 text-sm">
          {filters.page > 1 && <a href={query(filters.page - 1)}>← Previous</a>}
          <span>
            Page {filters.page} of {list.totalPages}
          </span>
          {filters.page < list.totalPages && <a href={query(filters.page + 1)}>Next →</a>}
        </nav>
      )}
    </EditorShell>
  );
}

function Queue({ title, rows, empty, when }: { title: string; rows: StaffArticleRow[]; empty: string; when?: "scheduledAt" | "publishedAt" }) {
  return (
    <section aria-label={title} className="rounded border border-rule p-3">
      <h2 className="font-semibold">{title}</h2>
      {rows.length === 0 ? (
        <p className="mt-2 text-sm text-muted">{empty}</p>
      ) : (
        <ul className="mt-2 space-y-2 text-sm">
          {rows.map((row) => (
            <li key={row.id}>
              <a href={`/editor/articles/${row.id}`} className="underline-offset-2 hover:underline">
                {row.title || "Untitled draft"}
              </a>
              {when && row[when] && <span className="block text-xs text-muted">{utcMinute(row[when]!)}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: [string, string][] }) {
  return (
    <div>
      <label htmlFor={`filter-${name}`} className="block font-semibold">
        {label}
      </label>
      <select id={`filter-${name}`} name={name} defaultValue={value} className="mt-1 rounded border border-rule bg-paper px-2 py-1">
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
