import "server-only";
import { redirect } from "next/navigation";
import { DomainError } from "@/lib/errors";
import { auth } from "./auth";
import type { Actor, Role } from "./permissions";

export type StaffSession = { id: string; name: string; email: string; role: Role; actor: Actor };

/** The database is down, so nobody's session can be checked: a 503 that says so, not a sign-out. */
export class SessionUncheckable extends DomainError {
  constructor() {
    super("The newsroom's database is unavailable just now, so your session cannot be checked. Nothing is lost: try again in a minute (the editor retries saves by itself).", 503);
  }
}

/**
 * The signed-in staff member, checked against the database on this request; null for anyone else.
 * Throws SessionUncheckable while the database is down.
 */
export async function getStaffSession(): Promise<StaffSession | null> {
  const session = await auth();
  const user = session?.user as { id?: string; name?: string; email?: string; role?: Role; unverified?: boolean } | undefined;
  if (user?.unverified) throw new SessionUncheckable();
  if (!user?.id || !user.role) return null;
  return { id: user.id, name: user.name ?? "", email: user.email ?? "", role: user.role, actor: { kind: "staff", id: user.id, role: user.role } };
}

/** For route handlers that answer the outage themselves: the session, null, or the SessionUncheckable to answer with (503). */
export async function getStaffSessionOrOutage(): Promise<StaffSession | null | SessionUncheckable> {
  try {
    return await getStaffSession();
  } catch (error) {
    if (error instanceof SessionUncheckable) return error;
    throw error;
  }
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
