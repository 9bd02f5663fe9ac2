import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Field, Notice } from "@/components/editor/form-fields";
import { EditorShell } from "@/components/editor/shell";
import { can } from "@/lib/auth/permissions";
import { requireStaffSession } from "@/lib/auth/session";
import { parsePageParam } from "@/lib/pagination";
import { listTagsForStaff, TAG_NAME_MAX, type StaffTag } from "@/lib/tags/mutations";

export const metadata: Metadata = { title: "Tags" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const DONE: Record<string, string> = {
  created: "The tag was created.",
  saved: "The tag was saved. If its address changed, the old one now leads to the new one.",
  merged: "The tags were merged: every article of the first now carries the second, and the first's address leads there.",
  deleted: "The tag was deleted and taken off its articles.",
};

export default async function TagsPage({ searchParams }: Props) {
  const staff = await requireStaffSession("/editor/tags");
  if (!can(staff.actor, "tags:manage")) notFound();
  const params = await searchParams;
  const query = typeof params.q === "string" ? params.q : "";
  const page = parsePageParam(params.page);
  if (!page) notFound();
  const list = await listTagsForStaff(staff.actor, { query, page });
  const done = typeof params.done === "string" ? DONE[params.done] : undefined;
  const pageLink = (n: number) => `/editor/tags?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(n) })}`;
  return (
    <EditorShell staff={staff} title="Tags">
      <div className="mt-6 space-y-6">
        {typeof params.error === "string" && <Notice tone="error">{params.error}</Notice>}
        {done && <Notice tone="info">{done}</Notice>}
        <details className="max-w-xl rounded border border-rule p-3">
          <summary className="cursor-pointer font-semibold">New tag</summary>
          <form method="post" action="/api/staff/tags" className="mt-3 space-y-3">
            <Field name="name" label="Name" maxLength={TAG_NAME_MAX} hint={`At most ${TAG_NAME_MAX} characters, without commas.`} />
            <Field name="slug" label="Address (optional)" required={false} maxLength={80} hint="Lower-case letters, digits and hyphens, as in /tag/climate. Left empty, it is made from the name." />
            <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
              Create tag
            </button>
          </form>
        </details>
        <form role="search" method="get" action="/editor/tags" className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="tags-q" className="block text-sm font-semibold">
              Find tags
            </label>
            <input id="tags-q" name="q" type="search" maxLength={200} defaultValue={query} placeholder="part of a name" className="mt-1 w-72 max-w-full rounded border border-rule bg-paper px-3 py-2" />
          </div>
          <button type="submit" className="rounded border border-rule px-4 py-2 font-semibold">
            Search
          </button>
        </form>
        <p className="text-sm text-muted">{list.total === 0 ? (query ? "No tag matches that search." : "No tags yet.") : `${list.total} ${list.total === 1 ? "tag" : "tags"}`}</p>
        <ul className="space-y-3">
          {list.items.map((tag) => (
            <TagRow key={tag.id} tag={tag} />
          ))}
        </ul>
        {list.totalPages > 1 && (
          <nav aria-label="Tag pages" className="flex gap-4 text-sm">
            {page > 1 && <a href={pageLink(page - 1)}>← Previous</a>}
            <span>
              Page {page} of {list.totalPages}
            </span>
            {page < list.totalPages && <a href={pageLink(page + 1)}>Next →</a>}
          </nav>
        )}
      </div>
    </EditorShell>
  );
}

function TagRow({ tag }: { tag: StaffTag }) {
  const id = (field: string) => `${field}-${tag.id}`;
  return (
    <li className="rounded border border-rule p-3" data-tag-id={tag.id}>
      <p className="font-semibold">{tag.name}</p>
      <p className="text-sm text-muted">
        <a href={`/tag/${tag.slug}`} className="hover:underline">
          /tag/{tag.slug}
        </a>{" "}
        · {tag.articles} {tag.articles === 1 ? "article" : "articles"}
      </p>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer font-semibold">
          Edit, merge or delete<span className="sr-only"> {tag.name}</span>
        </summary>
        <form method="post" action={`/api/staff/tags/${tag.id}`} className="mt-2 max-w-xl space-y-2">
          <label htmlFor={id("name")} className="block font-semibold">
            Name
          </label>
          <input id={id("name")} name="name" required maxLength={TAG_NAME_MAX} defaultValue={tag.name} className="w-full rounded border border-rule bg-paper px-2 py-1" />
          <label htmlFor={id("slug")} className="block font-semibold">
            Address
          </label>
          <input id={id("slug")} name="slug" maxLength={80} defaultValue={tag.slug} aria-describedby={id("slug-hint")} className="w-full rounded border border-rule bg-paper px-2 py-1" />
          <p id={id("slug-hint")} className="text-muted">
            A new address leaves the old one leading here.
          </p>
          <button type="submit" className="rounded bg-ink px-3 py-1 font-semibold text-paper">
            Save tag
          </button>
        </form>
        <form method="post" action={`/api/staff/tags/${tag.id}/merge`} className="mt-3 max-w-xl space-y-2">
          <label htmlFor={id("into")} className="block font-semibold">
            Merge into (another tag's name or address)
          </label>
          <input id={id("into")} name="into" required maxLength={80} aria-describedby={id("into-hint")} className="w-full rounded border border-rule bg-paper px-2 py-1" />
          <p id={id("into-hint")} className="text-muted">
            Every article tagged “{tag.name}” gets that tag instead; “{tag.name}” is deleted and its address leads there.
          </p>
          <button type="submit" className="rounded border border-accent px-3 py-1 text-accent">
            Merge<span className="sr-only"> {tag.name}</span>
          </button>
        </form>
        <form method="post" action={`/api/staff/tags/${tag.id}/delete`} className="mt-3 max-w-xl space-y-2">
          <p id={id("delete-hint")} className="text-muted">
            Deleting “{tag.name}” leaves its address answering “not found”; merge it instead to keep readers&apos; links working.
          </p>
          {tag.articles > 0 && (
            <label className="flex items-center gap-2">
              <input type="checkbox" name="confirm" value="yes" required />
              Take it off {tag.articles} {tag.articles === 1 ? "article" : "articles"}
            </label>
          )}
          <button type="submit" aria-describedby={id("delete-hint")} className="rounded border border-accent px-3 py-1 text-accent">
            Delete tag<span className="sr-only"> {tag.name}</span>
          </button>
        </form>
      </details>
    </li>
  );
}
