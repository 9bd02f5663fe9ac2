import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { can, type Actor } from "@/lib/auth/permissions";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { slugify, uniqueSlug } from "@/lib/slug";
import { newStaffSchema, type NewStaffInput } from "./validation";

/**
 * Creates a staff account with a sign-in password. Admins only (or an operator at the shell).
 * A second account for one email address is refused, whatever its letter case.
 */
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

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
