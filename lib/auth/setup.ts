import "server-only";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { ConflictError } from "@/lib/errors";
import { createStaffAccount } from "@/lib/staff/mutations";
import { operator } from "./permissions";

/** True once an admin who can sign in exists (seeded authors without a password do not count). */
export async function adminExists(): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.role, "admin"), isNotNull(users.passwordHash))).limit(1);
  return Boolean(row);
}

/**
 * First run: the first visitor creates the admin account, and only while none exists. Serialized by
 * an advisory lock, so two visitors racing through /editor/setup cannot both become admin.
 */
export async function createFirstAdmin(input: { email: string; name: string; password: string }): Promise<{ id: string }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('magazine:first-admin'))`);
    const [existing] = await tx.select({ id: users.id }).from(users).where(and(eq(users.role, "admin"), isNotNull(users.passwordHash))).limit(1);
    if (existing) throw new ConflictError("The magazine already has an admin. Sign in instead.");
    return createStaffAccount(operator, { ...input, role: "admin" }, tx);
  });
}
