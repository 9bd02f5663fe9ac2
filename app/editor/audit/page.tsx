import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Notice } from "@/components/editor/form-fields";
import { EditorShell } from "@/components/editor/shell";
import { AUDIT_ENTITY_TYPES, auditActorChoices, listAuditLog, NO_STAFF_ACTOR } from "@/lib/audit";
import { can } from "@/lib/auth/permissions";
import { requireStaffSession } from "@/lib/auth/session";
import { parsePageParam } from "@/lib/pagination";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const ENTITY_LABELS: Record<(typeof AUDIT_ENTITY_TYPES)[number], string> = {
  article: "Articles",
  user: "Staff accounts",
  media: "Media",
  settings: "Site settings",
  section: "Sections",
  tag: "Tags",
};

const utc = (at: Date) => `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;

export default async function AuditPage({ searchParams }: Props) {
  const staff = await requireStaffSession("/editor/audit");
  if (!can(staff.actor, "audit:read")) notFound();
  const params = await searchParams;
  const page = parsePageParam(params.page);
  if (!page) notFound();
  // an unknown filter value shows everything rather than an error page
  const entity = typeof params.entity === "string" && (AUDIT_ENTITY_TYPES as readonly string[]).includes(params.entity) ? params.entity : "";
  const people = await auditActorChoices(staff.actor);
  const actor = typeof params.actor === "string" && (params.actor === NO_STAFF_ACTOR || people.some((p) => p.id === params.actor)) ? params.actor : "";
  const log = await listAuditLog(staff.actor, { entityType: entity, actor, page });
  const pageLink = (n: number) => `/editor/audit?${new URLSearchParams({ ...(entity ? { entity } : {}), ...(actor ? { actor } : {}), page: String(n) })}`;
  return (
    <EditorShell staff={staff} title="Audit log">
      <div className="mt-6 space-y-6">
        {typeof params.error === "string" && <Notice tone="error">{params.error}</Notice>}
        <form method="get" action="/editor/audit" className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="audit-entity" className="block text-sm font-semibold">
              What
            </label>
            <select id="audit-entity" name="entity" defaultValue={entity} className="mt-1 rounded border border-rule bg-paper px-3 py-2">
              <option value="">Everything</option>
              {AUDIT_ENTITY_TYPES.map((type) => (
                <option key={type} value={type}>
                  {ENTITY_LABELS[type]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="audit-actor" className="block text-sm font-semibold">
              Who
            </label>
            <select id="audit-actor" name="actor" defaultValue={actor} className="mt-1 rounded border border-rule bg-paper px-3 py-2">
              <option value="">Anyone</option>
              <option value={NO_STAFF_ACTOR}>Nobody signed in (system, operator, visitors)</option>
              {people.map((person) => (
                <option key={person.id} value={person.id}>
                  {person.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="rounded border border-rule px-4 py-2 font-semibold">
            Show
          </button>
        </form>
        <p className="text-sm text-muted">{log.total === 0 ? "Nothing recorded matches." : `${log.total} ${log.total === 1 ? "entry" : "entries"}, newest first`}</p>
        {log.items.length > 0 && (
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-rule">
                <th scope="col" className="py-2">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Did</th>
                <th scope="col">To</th>
                <th scope="col">IP</th>
              </tr>
            </thead>
            <tbody>
              {log.items.map((entry) => (
                <tr key={entry.id} className="border-b border-rule align-top" data-audit-id={entry.id}>
                  <td className="whitespace-nowrap py-2 pr-3">
                    <time dateTime={entry.at.toISOString()}>{utc(entry.at)}</time>
                  </td>
                  <td className="pr-3">{entry.who}</td>
                  <td className="pr-3">{entry.what}</td>
                  <td className="break-words pr-3">
                    {entry.target.href ? (
                      <a href={entry.target.href} className="underline">
                        {entry.target.label}
                      </a>
                    ) : (
                      entry.target.label
                    )}
                  </td>
                  <td className="whitespace-nowrap">{entry.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {log.totalPages > 1 && (
          <nav aria-label="Audit log pages" className="flex gap-4 text-sm">
            {page > 1 && <a href={pageLink(page - 1)}>← Newer</a>}
            <span>
              Page {page} of {log.totalPages}
            </span>
            {page < log.totalPages && <a href={pageLink(page + 1)}>Older →</a>}
          </nav>
        )}
      </div>
    </EditorShell>
  );
}
