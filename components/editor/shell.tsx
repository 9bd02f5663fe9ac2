import type { StaffSession } from "@/lib/auth/session";
import { can, type Capability } from "@/lib/auth/permissions";

// the staff pages, each shown to those holding its capability (null: every staff member)
const NAV: { href: string; label: string; capability: Capability | null }[] = [
  { href: "/editor", label: "Dashboard", capability: null },
  { href: "/editor/import", label: "Import", capability: "article:create" },
  { href: "/editor/media", label: "Media", capability: "media:upload" },
  { href: "/editor/sections", label: "Sections", capability: "sections:manage" },
  { href: "/editor/tags", label: "Tags", capability: "tags:manage" },
  { href: "/editor/profile", label: "Profile", capability: null },
  { href: "/editor/staff", label: "Staff", capability: "staff:manage" },
  { href: "/editor/settings", label: "Settings", capability: "settings:manage" },
  { href: "/editor/audit", label: "Audit log", capability: "audit:read" },
];

/** The staff side's frame: masthead, navigation by capability, who is signed in and sign-out. */
export function EditorShell({ staff, title, children }: { staff: StaffSession; title: string; children: React.ReactNode }) {
  return (
    <>
      <header className="border-b border-rule">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-3">
          <a href="/editor" className="font-serif text-xl font-bold">
            Top One Magazine · Editor
          </a>
          <nav aria-label="Editor" className="flex flex-wrap gap-4 text-sm">
            {NAV.filter((item) => item.capability === null || can(staff.actor, item.capability)).map((item) => (
              <a key={item.href} href={item.href} className="hover:underline">
                {item.label}
              </a>
            ))}
          </nav>
          <form method="post" action="/api/staff/sign-out" className="flex items-center gap-3 text-sm">
            <span>
              {staff.name} <span className="text-muted">({staff.role})</span>
            </span>
            <button type="submit" className="rounded border border-rule px-3 py-1">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        <h1 className="font-serif text-3xl font-bold">{title}</h1>
        {children}
      </main>
    </>
  );
}
