import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Field, Notice } from "@/components/editor/form-fields";
import { EditorShell } from "@/components/editor/shell";
import { can } from "@/lib/auth/permissions";
import { requireStaffSession } from "@/lib/auth/session";
import { listSectionsForStaff, SECTION_NAME_MAX, type StaffSection } from "@/lib/sections/mutations";

export const metadata: Metadata = { title: "Sections" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const DONE: Record<string, string> = {
  created: "The section was created. It shows in the site's navigation.",
  saved: "The section was saved. If its address changed, the old one now leads to the new one.",
  moved: "The order was changed.",
  deleted: "The section was deleted.",
};

export default async function SectionsPage({ searchParams }: Props) {
  const staff = await requireStaffSession("/editor/sections");
  if (!can(staff.actor, "sections:manage")) notFound();
  const params = await searchParams;
  const list = await listSectionsForStaff(staff.actor);
  const done = typeof params.done === "string" ? DONE[params.done] : undefined;
  return (
    <EditorShell staff={staff} title="Sections">
      <div className="mt-6 space-y-6">
        {typeof params.error === "string" && <Notice tone="error">{params.error}</Notice>}
        {done && <Notice tone="info">{done}</Notice>}
        <details className="max-w-xl rounded border border-rule p-3">
          <summary className="cursor-pointer font-semibold">New section</summary>
          <form method="post" action="/api/staff/sections" className="mt-3 space-y-3">
            <Field name="name" label="Name" maxLength={SECTION_NAME_MAX} />
            <Field name="slug" label="Address (optional)" required={false} maxLength={80} hint="Lower-case letters, digits and hyphens, as in /section/world-news. Left empty, it is made from the name." />
            <Field name="description" label="Description (optional)" required={false} maxLength={1000} hint="Shown at the top of the section's page." />
            <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
              Create section
            </button>
          </form>
        </details>
        {list.length === 0 ? (
          <p className="text-sm text-muted">No sections yet: create the first above.</p>
        ) : (
          <ol className="space-y-3">
            {list.map((section, index) => (
              <SectionRow key={section.id} section={section} first={index === 0} last={index === list.length - 1} />
            ))}
          </ol>
        )}
      </div>
    </EditorShell>
  );
}

function SectionRow({ section, first, last }: { section: StaffSection; first: boolean; last: boolean }) {
  const id = (field: string) => `${field}-${section.id}`;
  return (
    <li className="rounded border border-rule p-3" data-section-id={section.id}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p className="font-semibold">{section.name}</p>
          <p className="text-sm text-muted">
            <a href={`/section/${section.slug}`} className="hover:underline">
              /section/{section.slug}
            </a>{" "}
            · {section.articles} {section.articles === 1 ? "article" : "articles"} ({section.published} published)
          </p>
        </div>
        <div className="flex flex-wrap gap-2 text-sm">
          {!first && (
            <form method="post" action={`/api/staff/sections/${section.id}/move-up`}>
              <button type="submit" className="rounded border border-rule px-2 py-1">
                Move up<span className="sr-only"> {section.name}</span>
              </button>
            </form>
          )}
          {!last && (
            <form method="post" action={`/api/staff/sections/${section.id}/move-down`}>
              <button type="submit" className="rounded border border-rule px-2 py-1">
                Move down<span className="sr-only"> {section.name}</span>
              </button>
            </form>
          )}
        </div>
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer font-semibold">
          Edit<span className="sr-only"> {section.name}</span>
        </summary>
        <form method="post" action={`/api/staff/sections/${section.id}`} className="mt-2 max-w-xl space-y-2">
          <label htmlFor={id("name")} className="block font-semibold">
            Name
          </label>
          <input id={id("name")} name="name" required maxLength={SECTION_NAME_MAX} defaultValue={section.name} className="w-full rounded border border-rule bg-paper px-2 py-1" />
          <label htmlFor={id("slug")} className="block font-semibold">
            Address
          </label>
          <input id={id("slug")} name="slug" maxLength={80} defaultValue={section.slug} aria-describedby={id("slug-hint")} className="w-full rounded border border-rule bg-paper px-2 py-1" />
          <p id={id("slug-hint")} className="text-muted">
            A new address leaves the old one leading here.
          </p>
          <label htmlFor={id("description")} className="block font-semibold">
            Description
          </label>
          <textarea id={id("description")} name="description" rows={2} maxLength={1000} defaultValue={section.description ?? ""} className="w-full rounded border border-rule bg-paper px-2 py-1" />
          <button type="submit" className="rounded bg-ink px-3 py-1 font-semibold text-paper">
            Save section
          </button>
        </form>
        <form method="post" action={`/api/staff/sections/${section.id}/delete`} className="mt-3">
          <button type="submit" className="rounded border border-accent px-3 py-1 text-accent">
            Delete section<span className="sr-only"> {section.name}</span>
          </button>
          {section.articles > 0 && <span className="ml-2 text-muted">Only once no article uses it.</span>}
        </form>
      </details>
    </li>
  );
}
