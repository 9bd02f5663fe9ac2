import type { StaffSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";

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
            <a href="/editor" className="hover:underline">
              Dashboard
            </a>
            {can(staff.actor, "media:upload") && (
              <a href="/editor/media" className="hover:underline">
                Media
              </a>
            )}
            {can(staff.actor, "taxonomy:manage") && (
              <>
                <a href="/editor/sections" className="hover:underline">
                  Sections
                </a>
                <a href="/editor/tags" className="hover:underline">
                  Tags
                </a>
              </>
            )}
            <a href="/editor/profile" className="hover:underline">
              Profile
            </a>
            {can(staff.actor, "staff:manage") && (
              <a href="/editor/staff" className="hover:underline">
                Staff
              </a>
            )}
            {can(staff.actor, "settings:manage") && (
              <a href="/editor/settings" className="hover:underline">
                Settings
              </a>
            )}
            {can(staff.actor, "audit:read") && (
              <a href="/editor/audit" className="hover:underline">
                Audit log
              </a>
            )}
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
