import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Notice } from "@/components/editor/form-fields";
import { MediaUploader } from "@/components/editor/media-uploader";
import { EditorShell } from "@/components/editor/shell";
import { can } from "@/lib/auth/permissions";
import { requireStaffSession } from "@/lib/auth/session";
import { MAX_UPLOAD_BYTES } from "@/lib/media/image";
import { canManageMedia, listMedia, type MediaItem } from "@/lib/media/library";
import { parsePageParam } from "@/lib/pagination";

export const metadata: Metadata = { title: "Media library" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const DONE: Record<string, string> = { uploaded: "The image was uploaded. Add its alt text below.", saved: "The image's details were saved.", deleted: "The image was deleted." };

export default async function MediaPage({ searchParams }: Props) {
  const staff = await requireStaffSession("/editor/media");
  if (!can(staff.actor, "media:upload")) notFound();
  const params = await searchParams;
  const query = typeof params.q === "string" ? params.q : "";
  const unused = params.show === "unused";
  const page = parsePageParam(params.page);
  if (!page) notFound();
  const library = await listMedia(staff.actor, { query, page, unused });
  const done = typeof params.done === "string" ? DONE[params.done] : undefined;
  const pageLink = (n: number) => `/editor/media?${new URLSearchParams({ ...(query ? { q: query } : {}), ...(unused ? { show: "unused" } : {}), page: String(n) })}`;
  return (
    <EditorShell staff={staff} title="Media library">
      <div className="mt-6 space-y-6">
        {typeof params.error === "string" && <Notice tone="error">{params.error}</Notice>}
        {done && <Notice tone="info">{done}</Notice>}
        <MediaUploader maxMegabytes={MAX_UPLOAD_BYTES / 1024 / 1024} />
        <form role="search" method="get" action="/editor/media" className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="media-q" className="block text-sm font-semibold">
              Find images
            </label>
            <input id="media-q" name="q" type="search" maxLength={200} defaultValue={query} placeholder="file name, alt text, caption or credit" className="mt-1 w-72 max-w-full rounded border border-rule bg-paper px-3 py-2" />
          </div>
          <label className="flex items-center gap-2 py-2 text-sm">
            <input type="checkbox" name="show" value="unused" defaultChecked={unused} />
            Only images nothing uses
          </label>
          <button type="submit" className="rounded border border-rule px-4 py-2 font-semibold">
            Search
          </button>
        </form>
        <p className="text-sm text-muted">
          {library.total === 0
            ? query
              ? `No ${unused ? "unused " : ""}image matches that search.`
              : unused
                ? "Every image in the library is in use."
                : "The library is empty: upload the first image above."
            : `${library.total} ${unused ? "unused " : ""}${library.total === 1 ? "image" : "images"}`}
        </p>
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {library.items.map((item) => (
            <MediaCard key={item.id} item={item} manageable={canManageMedia(staff.actor, item.uploadedBy)} />
          ))}
        </ul>
        {library.totalPages > 1 && (
          <nav aria-label="Media pages" className="flex gap-4 text-sm">
            {page > 1 && <a href={pageLink(page - 1)}>← Newer</a>}
            <span>
              Page {page} of {library.totalPages}
            </span>
            {page < library.totalPages && <a href={pageLink(page + 1)}>Older →</a>}
          </nav>
        )}
      </div>
    </EditorShell>
  );
}

function MediaCard({ item, manageable }: { item: MediaItem; manageable: boolean }) {
  const thumb = item.image.srcSet.split(", ")[0]?.split(" ")[0] ?? item.image.src;
  const field = (name: "alt" | "caption" | "credit") => `${name}-${item.id}`;
  return (
    <li className="rounded border border-rule p-3" data-media-id={item.id}>
      <img src={thumb} alt={item.alt ?? ""} width={item.image.width} height={item.image.height} loading="lazy" className="aspect-video w-full rounded bg-rule/30 object-contain" />
      <p className="mt-2 break-all text-sm font-semibold">{item.filename ?? "Untitled image"}</p>
      <p className="text-xs text-muted">
        {item.image.width} × {item.image.height} · {formatBytes(item.bytes)} · {item.uploaderName ?? "unknown"} ·{" "}
        <time dateTime={item.createdAt.toISOString()}>{item.createdAt.toISOString().slice(0, 10)}</time>
      </p>
      {!item.alt && <p className="mt-1 text-xs font-semibold text-accent">Needs alt text before it can be used</p>}
      {!item.inUse && <p className="mt-1 text-xs text-muted">Not used anywhere: no article, profile or site setting shows it</p>}
      {manageable ? (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer font-semibold">Edit details</summary>
          <form method="post" action={`/api/staff/media/${item.id}`} className="mt-2 space-y-2">
            <label htmlFor={field("alt")} className="block font-semibold">
              Alt text (what the image shows)
            </label>
            <textarea id={field("alt")} name="alt" rows={2} maxLength={500} defaultValue={item.alt ?? ""} className="w-full rounded border border-rule bg-paper px-2 py-1" />
            <label htmlFor={field("caption")} className="block font-semibold">
              Caption
            </label>
            <input id={field("caption")} name="caption" maxLength={1000} defaultValue={item.caption ?? ""} className="w-full rounded border border-rule bg-paper px-2 py-1" />
            <label htmlFor={field("credit")} className="block font-semibold">
              Credit
            </label>
            <input id={field("credit")} name="credit" maxLength={200} defaultValue={item.credit ?? ""} className="w-full rounded border border-rule bg-paper px-2 py-1" />
            <button type="submit" className="rounded bg-ink px-3 py-1 font-semibold text-paper">
              Save details
            </button>
          </form>
          <form method="post" action={`/api/staff/media/${item.id}/delete`} className="mt-3">
            <button type="submit" className="rounded border border-accent px-3 py-1 text-accent">
              Delete image
            </button>
          </form>
        </details>
      ) : (
        item.caption && <p className="mt-1 text-sm">{item.caption}</p>
      )}
    </li>
  );
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
