import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, staffTokens, users } from "@/db/schema";
import { operator, type Actor } from "@/lib/auth/permissions";
import { ConflictError } from "@/lib/errors";
import { createStaffAccount, updateStaffAccess } from "@/lib/staff/mutations";
import { forcePasswordReset, redeemStaffLink } from "@/lib/staff/tokens";
import { countRows, failure } from "../../fixtures/builders";

// The magazine always keeps an admin who can sign in. This file's database holds only the admins
// each test makes (every test starts by removing the staff), so the counts are the tests' own.

const PASSWORD = "violet-harbour-lamp-42";
const NEW_PASSWORD = "copper-meadow-sail-73";
let sequence = 0;

async function admin(): Promise<{ id: string; actor: Actor }> {
  const n = ++sequence;
  const { id } = await createStaffAccount(operator, { email: `admin-${n}@example.test`, name: `Admin Number ${n}`, role: "admin", password: PASSWORD });
  return { id, actor: { kind: "staff", id, role: "admin" } };
}

async function userRow(id: string) {
  const db = await getDb();
  const [row] = await db.select({ role: users.role, isActive: users.isActive }).from(users).where(eq(users.id, id));
  return row!;
}

const tokenOf = (path: string) => path.split("/").pop()!;

beforeEach(async () => {
  const db = await getDb();
  await db.delete(auditLog);
  await db.delete(staffTokens);
  await db.delete(users);
});

describe("the last active admin who can sign in", () => {
  it("cannot be suspended or demoted while the only other admin waits on a password reset, writing nothing", async () => {
    const first = await admin();
    const second = await admin();
    await forcePasswordReset(first.actor, second.id);
    const before = await countRows({ users, auditLog });

    for (const change of [{ active: false }, { role: "editor" as const }]) {
      const error = await failure(updateStaffAccess(first.actor, first.id, change));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.status).toBe(409);
      expect(error.message).toContain("last active admin who can sign in");
    }
    expect(await userRow(first.id)).toEqual({ role: "admin", isActive: true });
    expect(await countRows({ users, auditLog })).toEqual(before);
  });

  it("still does not count an admin whose reset link expired unused (no password opens that account)", async () => {
    const first = await admin();
    const second = await admin();
    await forcePasswordReset(first.actor, second.id);
    const db = await getDb();
    await db.update(staffTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(staffTokens.userId, second.id));

    expect((await failure(updateStaffAccess(first.actor, first.id, { active: false }))).status).toBe(409);
  });

  it("counts that admin again once the reset link is used: the first may then step down", async () => {
    const first = await admin();
    const second = await admin();
    const link = await forcePasswordReset(first.actor, second.id);
    await redeemStaffLink(tokenOf(link.path), { password: NEW_PASSWORD });

    await updateStaffAccess(first.actor, first.id, { role: "editor" });
    expect(await userRow(first.id)).toEqual({ role: "editor", isActive: true });
  });

  it("counts suspended admins out: admins may be suspended until one who can sign in is left", async () => {
    const first = await admin();
    const second = await admin();
    const third = await admin();
    await updateStaffAccess(first.actor, third.id, { active: false });
    await updateStaffAccess(first.actor, second.id, { active: false });

    expect((await failure(updateStaffAccess(first.actor, first.id, { active: false }))).status).toBe(409);
    expect(await userRow(first.id)).toEqual({ role: "admin", isActive: true });
  });

  it("lets exactly one of two admins who demote each other at once succeed", async () => {
    const first = await admin();
    const second = await admin();
    const results = await Promise.allSettled([updateStaffAccess(first.actor, second.id, { role: "editor" }), updateStaffAccess(second.actor, first.id, { role: "editor" })]);

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const roles = [(await userRow(first.id)).role, (await userRow(second.id)).role].sort();
    expect(roles).toEqual(["admin", "editor"]);
  });
});

describe("forcePasswordReset and the last admin", () => {
  it("lets an admin reset another admin's password (the first still signs in)", async () => {
    const first = await admin();
    const second = await admin();
    const link = await forcePasswordReset(first.actor, second.id);
    expect(link.kind).toBe("reset");
  });

  it("refuses with 409, writing nothing, when the resetting admin was demoted meanwhile and the target is the last admin", async () => {
    const first = await admin();
    const second = await admin();
    // the actor's role was read when its request began; another admin demoted it since
    const db = await getDb();
    await db.update(users).set({ role: "editor" }).where(eq(users.id, first.id));
    const before = await countRows({ users, staffTokens, auditLog });

    const error = await failure(forcePasswordReset(first.actor, second.id));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain("no active admin who can sign in");
    expect(await countRows({ users, staffTokens, auditLog })).toEqual(before);
  });

  it("lets the operator at the shell reset the only admin: that is how a lost admin password is recovered", async () => {
    const only = await admin();
    const link = await forcePasswordReset(operator, only.id);
    await redeemStaffLink(tokenOf(link.path), { password: NEW_PASSWORD });
    expect(await userRow(only.id)).toEqual({ role: "admin", isActive: true });
  });
});
