import "server-only";
import { and, eq, isNotNull, ne, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { auditLog, staffTokens, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { can, type Actor, type Role } from "@/lib/auth/permissions";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { slugify, uniqueSlug } from "@/lib/slug";
import { newStaffSchema, type NewStaffInput } from "./validation";

/**
 * Creates a staff account with a sign-in password. Admins only (or an operator at the shell).
 * A second account for one email address is refused, whatever its letter case.
 */
export async function createStaffAccount(actor: Actor, input: NewStaffInput, within?: Tx): Promise<{ id: string; slug: string }> {
  if (!can(actor, "staff:manage")) throw new ForbiddenError("manage staff");
  const parsed = newStaffSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`${String(issue.path[0] ?? "input")}: ${issue.message}`, { [String(issue.path[0])]: [issue.message] });
  }
  const data = parsed.data;
  const passwordHash = await hashPassword(data.password);
  const db = within ?? (await getDb());
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id, hasPassword: sql<boolean>`${users.passwordHash} is not null` }).from(users).where(sql`lower(${users.email}) = ${data.email}`);
    if (existing?.hasPassword) throw new ConflictError(`An account with the email ${data.email} already exists.`);
    const slug = existing
      ? undefined
      : await uniqueSlug(slugify(data.name), async (candidate) => Boolean((await tx.select({ id: users.id }).from(users).where(eq(users.slug, candidate)))[0]));
    // an author who already has bylines (seeded or imported) keeps them and gains a sign-in
    const [row] = existing
      ? await tx.update(users).set({ name: data.name, role: data.role, passwordHash, isActive: true, updatedAt: new Date() }).where(eq(users.id, existing.id)).returning({ id: users.id, slug: users.slug })
      : await tx.insert(users).values({ email: data.email, name: data.name, slug: slug!, role: data.role, passwordHash }).returning({ id: users.id, slug: users.slug });
    await tx.insert(auditLog).values({ actorId: actor.id, action: "staff.create", entityType: "user", entityId: row!.id, details: { email: data.email, role: data.role, via: actor.kind } });
    return row!;
  });
}

/** Staff accounts with a sign-in, for the admin's list. */
export async function listStaff(actor: Actor) {
  if (!can(actor, "staff:manage")) throw new ForbiddenError("manage staff");
  const db = await getDb();
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, isActive: users.isActive, createdAt: users.createdAt })
    .from(users)
    .where(sql`${users.passwordHash} is not null`)
    .orderBy(users.name);
}

/**
 * Changes what a staff member may do: a role, suspension or reactivation. Admins only. The last
 * active admin who can sign in can be neither demoted nor suspended (the magazine would have nobody
 * to manage it).
 * Takes effect at that person's next request: sessions re-read the user row.
 */
export async function updateStaffAccess(actor: Actor, userId: string, change: { role: Role } | { active: boolean }): Promise<void> {
  if (!can(actor, "staff:manage")) throw new ForbiddenError("manage staff");
  const db = await getDb();
  await db.transaction(async (tx) => {
    await lockAdminChanges(tx);
    const [target] = await tx.select({ id: users.id, role: users.role, isActive: users.isActive }).from(users).where(and(eq(users.id, userId), isNotNull(users.passwordHash)));
    if (!target) throw new NotFoundError("staff member");
    const losesAdmin = target.role === "admin" && target.isActive && ("role" in change ? change.role !== "admin" : !change.active);
    if (losesAdmin) await requireAnotherAdmin(tx, userId, "This is the last active admin who can sign in. Make someone else an admin first.");
    const set = "role" in change ? { role: change.role } : { isActive: change.active, sessionVersion: sql`${users.sessionVersion} + 1` };
    await tx.update(users).set({ ...set, updatedAt: new Date() }).where(eq(users.id, userId));
    const action = "role" in change ? "staff.role_change" : change.active ? "staff.reactivate" : "staff.suspend";
    const details = "role" in change ? { from: target.role, to: change.role } : {};
    await tx.insert(auditLog).values({ actorId: actor.id, action, entityType: "user", entityId: userId, details });
  });
}

/** One admin change at a time, to the end of the transaction: two admins cannot demote each other at once. */
export async function lockAdminChanges(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('magazine:admin-changes'))`);
}

/**
 * Refuses (409) a change that would leave no active admin able to sign in besides `userId`; call it
 * under lockAdminChanges. A forced password reset leaves a password nobody holds until its link is
 * used (and for good once the link expires), so an admin waiting on one cannot manage anything and
 * does not count.
 */
export async function requireAnotherAdmin(tx: Tx, userId: string, message: string): Promise<void> {
  const [{ admins } = { admins: 0 }] = await tx
    .select({ admins: sql<number>`count(*)::int` })
    .from(users)
    .where(
      and(
        eq(users.role, "admin"),
        eq(users.isActive, true),
        isNotNull(users.passwordHash),
        ne(users.id, userId),
        sql`not exists (select 1 from ${staffTokens} where ${staffTokens.kind} = 'reset' and ${staffTokens.userId} = ${users.id} and ${staffTokens.usedAt} is null)`,
      ),
    );
  if (admins === 0) throw new ConflictError(message);
}

/** Ends every session of a user at their next request (their own, or anyone's for an admin). */
export async function signOutEverywhere(actor: Actor, userId: string): Promise<void> {
  if (actor.id !== userId && !can(actor, "staff:manage")) throw new ForbiddenError("sign out other staff");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const updated = await tx.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId)).returning({ id: users.id });
    if (updated.length === 0) throw new NotFoundError("staff member");
    await tx.insert(auditLog).values({ actorId: actor.id, action: "staff.sign_out_everywhere", entityType: "user", entityId: userId });
  });
}
