import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { auditLog, staffTokens, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { passwordProblem } from "@/lib/auth/password-rules";
import { can, type Actor, type Role } from "@/lib/auth/permissions";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { createStaffAccount, lockAdminChanges, requireAnotherAdmin } from "./mutations";
import { roleSchema, staffEmailSchema } from "./validation";

// Invitations and forced password resets: one-time links an admin passes on, and which are also
// mailed when a mail server is set (lib/staff/link-mail.ts). The link carries a random token; the
// database keeps only its SHA-256.

export const INVITE_HOURS = 72;
export const RESET_HOURS = 24;

export type StaffLink = { kind: "invite" | "reset"; email: string; role: Role; path: string; expiresAt: Date };
export type PendingToken = { kind: "invite" | "reset"; email: string; role: Role; name: string | null };

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

const linkPath = (token: string) => `/editor/welcome/${token}`;

/** Invites someone by email to join with a role. Admins only; not for an email that already signs in. */
export async function inviteStaff(actor: Actor, input: { email: string; role: string }): Promise<StaffLink> {
  if (!can(actor, "staff:manage")) throw new ForbiddenError("invite staff");
  const parsed = staffEmailSchema.safeParse(input.email.trim());
  const role = roleSchema.safeParse(input.role);
  if (!parsed.success) throw new ValidationError(`email: ${parsed.error.issues[0]!.message}`);
  if (!role.success) throw new ValidationError("role: choose admin, editor or writer");
  const email = parsed.data;
  const db = await getDb();
  const [existing] = await db.select({ id: users.id }).from(users).where(and(sql`lower(${users.email}) = ${email}`, isNotNull(users.passwordHash)));
  if (existing) throw new ConflictError(`${email} already has a staff account.`);
  const { token, tokenHash } = newToken();
  const expiresAt = new Date(Date.now() + INVITE_HOURS * 3_600_000);
  await db.transaction(async (tx) => {
    await tx.insert(staffTokens).values({ kind: "invite", tokenHash, email, role: role.data, createdBy: actor.id, expiresAt });
    await tx.insert(auditLog).values({ actorId: actor.id, action: "staff.invite", entityType: "user", details: { email, role: role.data } });
  });
  return { kind: "invite", email, role: role.data, path: linkPath(token), expiresAt };
}

/**
 * Forces a new password: the old one stops working and every session ends at once; the person sets
 * a new one through the returned link. Admins only.
 */
export async function forcePasswordReset(actor: Actor, userId: string): Promise<StaffLink> {
  if (!can(actor, "staff:manage")) throw new ForbiddenError("reset staff passwords");
  // one's own reset would end this session and hide the only link with it: change it instead
  if (actor.id === userId) throw new ConflictError("To change your own password, use Change password on your profile; a forced reset would sign you out.");
  const db = await getDb();
  const { token, tokenHash } = newToken();
  const expiresAt = new Date(Date.now() + RESET_HOURS * 3_600_000);
  const user = await db.transaction(async (tx) => {
    const [user] = await tx.select({ email: users.email, role: users.role, isActive: users.isActive }).from(users).where(and(eq(users.id, userId), isNotNull(users.passwordHash)));
    if (!user) throw new NotFoundError("staff member");
    // an admin resetting another admin remains, unless demoted meanwhile: checked under the admin lock.
    // The operator at the shell may reset the last admin: that is how a lost admin password is recovered.
    if (user.role === "admin" && user.isActive && actor.kind !== "operator") {
      await lockAdminChanges(tx);
      await requireAnotherAdmin(tx, userId, "Resetting this password would leave no active admin who can sign in. Make someone else an admin first.");
    }
    // a hash of a random secret nobody holds: the account stays listed, but no password opens it
    const unusable = await hashPassword(randomBytes(32).toString("base64url"));
    await tx.update(users).set({ passwordHash: unusable, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() }).where(eq(users.id, userId));
    // only the newest link works: an earlier one (sent to the wrong place, say) stops now
    await retireResetLinks(tx, userId);
    await tx.insert(staffTokens).values({ kind: "reset", tokenHash, email: user.email, role: user.role, userId, createdBy: actor.id, expiresAt });
    await tx.insert(auditLog).values({ actorId: actor.id, action: "staff.force_password_reset", entityType: "user", entityId: userId });
    return user;
  });
  return { kind: "reset", email: user.email, role: user.role, path: linkPath(token), expiresAt };
}

/** Marks every unused reset link of this person used. */
async function retireResetLinks(tx: Tx, userId: string): Promise<void> {
  await tx.update(staffTokens).set({ usedAt: new Date() }).where(and(eq(staffTokens.kind, "reset"), eq(staffTokens.userId, userId), isNull(staffTokens.usedAt)));
}

/** What a link is for, while it is unused and unexpired; null otherwise (or for a malformed token). */
export async function readStaffLink(token: string): Promise<PendingToken | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ kind: staffTokens.kind, email: staffTokens.email, role: staffTokens.role, name: users.name })
    .from(staffTokens)
    .leftJoin(users, eq(users.id, staffTokens.userId))
    .where(and(eq(staffTokens.tokenHash, hashToken(token)), isNull(staffTokens.usedAt), gt(staffTokens.expiresAt, new Date())));
  return row ?? null;
}

/**
 * Uses a link once: an invitation creates the account (name and password chosen now), a reset sets
 * the new password. A used, expired or unknown link is refused with 404; nothing is half-written.
 */
export async function redeemStaffLink(token: string, input: { name?: string; password: string }): Promise<{ email: string }> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new NotFoundError("link (it may have expired or been used already)");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [link] = await tx
      .select()
      .from(staffTokens)
      .where(and(eq(staffTokens.tokenHash, hashToken(token)), isNull(staffTokens.usedAt), gt(staffTokens.expiresAt, new Date())))
      .for("update");
    if (!link) throw new NotFoundError("link (it may have expired or been used already)");
    if (link.kind === "invite") {
      const inviter: Actor = { kind: "operator", id: null, role: "admin" }; // the admin's invitation authorizes this account
      const created = await createStaffAccount(inviter, { email: link.email, name: input.name ?? "", role: link.role, password: input.password }, tx);
      await tx.insert(auditLog).values({ actorId: created.id, action: "staff.invite_accepted", entityType: "user", entityId: created.id, details: { invitedBy: link.createdBy } });
    } else {
      const problem = passwordProblem(input.password, { email: link.email });
      if (problem) throw new ValidationError(`password: ${problem}`);
      await tx.update(users).set({ passwordHash: await hashPassword(input.password), sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() }).where(eq(users.id, link.userId!));
      // the password is set: no other reset link for this person may set it again
      await retireResetLinks(tx, link.userId!);
      await tx.insert(auditLog).values({ actorId: link.userId, action: "staff.password_reset", entityType: "user", entityId: link.userId });
    }
    await tx.update(staffTokens).set({ usedAt: new Date() }).where(eq(staffTokens.id, link.id));
    return { email: link.email };
  });
}
