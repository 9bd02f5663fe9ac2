import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { notFound } from "next/navigation";
import { Notice } from "@/components/editor/form-fields";
import { EditorShell } from "@/components/editor/shell";
import { can } from "@/lib/auth/permissions";
import { requireStaffSession } from "@/lib/auth/session";
import { STAFF_LINK_COOKIE } from "@/lib/http/forms";
import { visitorOrigin } from "@/lib/http/origin";
import { listStaff } from "@/lib/staff/mutations";

export const metadata: Metadata = { title: "Staff" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const DONE: Record<string, string> = {
  role: "The role was changed.",
  suspend: "The account was suspended; its sessions have ended.",
  reactivate: "The account was reactivated.",
  "sign-out-everywhere": "Every session of that account has ended.",
  invite: "The invitation is ready. Pass this link on to the person; it works once, within 72 hours:",
  "reset-password": "The old password no longer works and every session has ended. Pass this link on; it works once, within 24 hours:",
};

// the same notices when SMTP_URL is set and the route also mailed the link (lib/staff/link-mail.ts)
const MAILED: Record<string, { before: string; sent: string; hours: number }> = {
  invite: { before: "", sent: "Invitation sent to", hours: 72 },
  "reset-password": { before: "The old password no longer works and every session has ended. ", sent: "Reset link sent to", hours: 24 },
};

function mailedNotice(params: Record<string, string | string[] | undefined>): string | undefined {
  const notice = typeof params.done === "string" ? MAILED[params.done] : undefined;
  const text = (name: string) => (typeof params[name] === "string" ? params[name] : "");
  if (!notice) return undefined;
  if (params.mail === "sent") return `${notice.before}${notice.sent} ${text("to")}. The link works once, within ${notice.hours} hours:`;
  if (params.mail === "failed") return `${notice.before}Mail could not be sent: ${text("reason")}; pass this link on yourself. It works once, within ${notice.hours} hours:`;
  return undefined;
}

export default async function StaffPage({ searchParams }: Props) {
  const staff = await requireStaffSession("/editor/staff");
  // staff without the capability get no hint that the page exists
  if (!can(staff.actor, "staff:manage")) notFound();
  const params = await searchParams;
  const people = await listStaff(staff.actor);
  const done = mailedNotice(params) ?? (typeof params.done === "string" ? DONE[params.done] : undefined);
  // the link made by the last invite or reset, from a five-minute cookie for this page only: the
  // database keeps just its hash, so it cannot be shown again later
  const linkPath = (await cookies()).get(STAFF_LINK_COOKIE)?.value;
  const link = linkPath?.startsWith("/editor/welcome/") ? `${visitorOrigin(await headers(), "http://localhost")}${linkPath}` : null;
  return (
    <EditorShell staff={staff} title="Staff">
      {typeof params.error === "string" && <Notice tone="error">{params.error}</Notice>}
      {done && (
        <Notice tone="info">
          {done}
          {link && (params.done === "invite" || params.done === "reset-password") && (
            <>
              {" "}
              <code className="break-all" data-staff-link>
                {link}
              </code>
            </>
          )}
        </Notice>
      )}
      <form method="post" action="/api/staff/invites" className="mt-6 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="invite-email" className="block text-sm font-semibold">
            Invite by email
          </label>
          <input id="invite-email" name="email" type="email" required maxLength={254} className="mt-1 rounded border border-rule bg-paper px-3 py-2" />
        </div>
        <div>
          <label htmlFor="invite-role" className="block text-sm font-semibold">
            Role
          </label>
          <select id="invite-role" name="role" defaultValue="writer" className="mt-1 rounded border border-rule bg-paper px-3 py-2">
            <option value="writer">Writer</option>
            <option value="editor">Editor</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
          Create invitation link
        </button>
      </form>
      <table className="mt-6 w-full text-left text-sm">
        <thead>
          <tr className="border-b border-rule">
            <th scope="col" className="py-2">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <tr key={person.id} className="border-b border-rule align-top">
              <td className="py-3">{person.name}</td>
              <td>{person.email}</td>
              <td>
                <form method="post" action={`/api/staff/users/${person.id}/role`} className="flex gap-2">
                  <label htmlFor={`role-${person.id}`} className="sr-only">
                    Role of {person.name}
                  </label>
                  <select id={`role-${person.id}`} name="role" defaultValue={person.role} className="rounded border border-rule bg-paper px-2 py-1">
                    <option value="writer">Writer</option>
                    <option value="editor">Editor</option>
                    <option value="admin">Admin</option>
                  </select>
                  <button type="submit" className="rounded border border-rule px-2 py-1">
                    Change<span className="sr-only"> role of {person.name}</span>
                  </button>
                </form>
              </td>
              <td>{person.isActive ? "Active" : "Suspended"}</td>
              <td className="flex flex-wrap gap-2 py-2">
                <form method="post" action={`/api/staff/users/${person.id}/${person.isActive ? "suspend" : "reactivate"}`}>
                  <button type="submit" className="rounded border border-rule px-2 py-1">
                    {person.isActive ? "Suspend" : "Reactivate"}
                    <span className="sr-only"> {person.name}</span>
                  </button>
                </form>
                {/* one's own password is changed on the profile page (a forced reset would end this session) */}
                {person.id !== staff.id && (
                  <form method="post" action={`/api/staff/users/${person.id}/reset-password`}>
                    <button type="submit" className="rounded border border-rule px-2 py-1">
                      Force password reset<span className="sr-only"> for {person.name}</span>
                    </button>
                  </form>
                )}
                <form method="post" action={`/api/staff/users/${person.id}/sign-out-everywhere`}>
                  <button type="submit" className="rounded border border-rule px-2 py-1">
                    Sign out everywhere<span className="sr-only"> ({person.name})</span>
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </EditorShell>
  );
}
