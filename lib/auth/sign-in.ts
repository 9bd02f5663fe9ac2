import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import type { Role } from "./permissions";
import { verifyPassword } from "./password";
import { signInThrottle, ThrottleUnavailable } from "./throttle";

export type SignedInStaff = { id: string; name: string; email: string; role: Role; sessionVersion: number };
export type SignInOutcome =
  | { ok: true; staff: SignedInStaff }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfter: number }
  | { ok: false; reason: "unavailable" }; // the throttle's store is unreachable: no password was checked

// A hash of a random password with the same parameters: an unknown email costs the same verify as a
// known one, so response times do not reveal which addresses have accounts.
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$S8EGMIoUqYC4A7i0HyY83w$+B/3qY6TvkZxsAPWL4gPumlBmwbneL2yWIrC6/xgrnY";
const MAX_EMAIL = 254;
const MAX_PASSWORD = 1024; // argon2 takes any length; a megabyte "password" is only a way to burn CPU

/**
 * Checks a staff sign-in: throttled first, then the password, for active accounts that have one.
 * Every outcome is recorded for throttling and in the audit log (never the password). Unknown emails,
 * suspended accounts and wrong passwords get the same answer after the same work. When attempts
 * cannot be counted (the throttle's Redis is down), the answer is "unavailable": it fails closed.
 */
export async function authenticateStaff(rawEmail: string, password: string, ip: string): Promise<SignInOutcome> {
  try {
    return await checkSignIn(rawEmail, password, ip);
  } catch (error) {
    if (error instanceof ThrottleUnavailable) return { ok: false, reason: "unavailable" };
    throw error;
  }
}

async function checkSignIn(rawEmail: string, password: string, ip: string): Promise<SignInOutcome> {
  const email = rawEmail.trim().toLowerCase().slice(0, MAX_EMAIL);
  const db = await getDb();
  const claim = await (await signInThrottle()).claim(email, ip);
  if ("retryAfter" in claim) {
    const { retryAfter } = claim;
    await db.insert(auditLog).values({ action: "staff.sign_in_throttled", entityType: "user", ip, details: { email, retryAfter } });
    return { ok: false, reason: "throttled", retryAfter };
  }
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, sessionVersion: users.sessionVersion, passwordHash: users.passwordHash, isActive: users.isActive })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`);
  const usable = user?.passwordHash && user.isActive && password.length <= MAX_PASSWORD;
  const matches = await verifyPassword(usable ? user.passwordHash! : DUMMY_HASH, password.slice(0, MAX_PASSWORD));
  const ok = Boolean(usable && matches);
  if (ok) await claim.markSucceeded();
  if (!ok) {
    const reason = !user ? "unknown email" : !user.passwordHash ? "no password set" : !user.isActive ? "suspended" : "wrong password";
    await db.insert(auditLog).values({ actorId: user?.id ?? null, action: "staff.sign_in_failed", entityType: "user", entityId: user?.id ?? null, ip, details: { email, reason } });
    return { ok: false, reason: "invalid" };
  }
  await db.insert(auditLog).values({ actorId: user!.id, action: "staff.sign_in", entityType: "user", entityId: user!.id, ip });
  const { passwordHash: _hash, isActive: _active, ...staff } = user!;
  return { ok: true, staff };
}
