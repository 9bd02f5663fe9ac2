import "server-only";
import { redirect } from "next/navigation";
import { auth } from "./auth";
import type { Actor, Role } from "./permissions";

export type StaffSession = { id: string; name: string; email: string; role: Role; actor: Actor };

/** The signed-in staff member, checked against the database on this request; null for anyone else. */
export async function getStaffSession(): Promise<StaffSession | null> {
  const session = await auth();
  const user = session?.user as { id?: string; name?: string; email?: string; role?: Role } | undefined;
  if (!user?.id || !user.role) return null;
  return { id: user.id, name: user.name ?? "", email: user.email ?? "", role: user.role, actor: { kind: "staff", id: user.id, role: user.role } };
}

/** For editor pages: the session, or a redirect to sign-in that returns to `path` afterwards. */
export async function requireStaffSession(path: string): Promise<StaffSession> {
  const staff = await getStaffSession();
  if (!staff) redirect(`/editor/sign-in?next=${encodeURIComponent(path)}`);
  return staff;
}

/** Only same-site editor paths: never an absolute URL or a protocol-relative one (open redirects). */
export function safeNextPath(value: unknown): string {
  return typeof value === "string" && /^\/editor(\/[A-Za-z0-9/_-]*)?$/.test(value) ? value : "/editor";
}
