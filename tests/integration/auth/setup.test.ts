import { and, eq, isNotNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { operator } from "@/lib/auth/permissions";
import { adminExists, createFirstAdmin } from "@/lib/auth/setup";
import { authenticateStaff } from "@/lib/auth/sign-in";
import { ConflictError, ValidationError } from "@/lib/errors";
import { createStaffAccount } from "@/lib/staff/mutations";
import { countRows, makeStaff } from "../../fixtures/builders";

const PASSWORD = "violet-harbour-lamp-42";

// First-run setup is about whether any admin exists, so every test starts with no users at all.
beforeEach(async () => {
  const db = await getDb();
  await db.delete(users);
});

async function adminsWithPassword() {
  const db = await getDb();
  return db.select({ id: users.id, email: users.email }).from(users).where(and(eq(users.role, "admin"), isNotNull(users.passwordHash)));
}

describe("adminExists", () => {
  it("is false on a fresh database", async () => {
    expect(await adminExists()).toBe(false);
  });

  it("is false while the only admins have no password (seeded demo authors), and true once one has", async () => {
    await makeStaff("admin", "Demo Admin Author");
    await makeStaff("admin", "Another Demo Admin");
    expect(await adminExists()).toBe(false);
    await createStaffAccount(operator, { email: "real-admin@example.test", name: "Real Admin", role: "admin", password: PASSWORD });
    expect(await adminExists()).toBe(true);
  });

  it("is false when only editors and writers can sign in", async () => {
    await createStaffAccount(operator, { email: "editor@example.test", name: "An Editor", role: "editor", password: PASSWORD });
    await createStaffAccount(operator, { email: "writer@example.test", name: "A Writer", role: "writer", password: PASSWORD });
    expect(await adminExists()).toBe(false);
  });
});

describe("createFirstAdmin", () => {
  it("creates an active admin who can then sign in, and adminExists turns true", async () => {
    const { id } = await createFirstAdmin({ email: "First.Admin@Example.test", name: "First Admin", password: PASSWORD });
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, id));
    expect(row).toMatchObject({ email: "first.admin@example.test", name: "First Admin", role: "admin", isActive: true });
    expect(await verifyPassword(row!.passwordHash!, PASSWORD)).toBe(true);
    expect(await adminExists()).toBe(true);
    expect(await authenticateStaff("first.admin@example.test", PASSWORD, "192.0.2.10")).toMatchObject({ ok: true, staff: { id, role: "admin" } });
  });

  it("is allowed while the only admins are password-less seeded authors", async () => {
    const seeded = await makeStaff("admin", "Seeded Admin Author");
    const { id } = await createFirstAdmin({ email: "owner@example.test", name: "Owner", password: PASSWORD });
    expect(id).not.toBe(seeded.id);
    expect(await adminsWithPassword()).toEqual([{ id, email: "owner@example.test" }]);
  });

  it("refuses with a 409 ConflictError once an admin with a password exists, changing nothing", async () => {
    await createFirstAdmin({ email: "first@example.test", name: "First", password: PASSWORD });
    const before = await countRows({ users, auditLog });
    const error = await createFirstAdmin({ email: "second@example.test", name: "Second", password: PASSWORD }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).status).toBe(409);
    expect(await countRows({ users, auditLog })).toEqual(before);
    expect((await adminsWithPassword()).map((admin) => admin.email)).toEqual(["first@example.test"]);
  });

  it("refuses when the existing admin was created some other way (npm run user:create)", async () => {
    await createStaffAccount(operator, { email: "cli-admin@example.test", name: "CLI Admin", role: "admin", password: PASSWORD });
    await expect(createFirstAdmin({ email: "late@example.test", name: "Late", password: PASSWORD })).rejects.toBeInstanceOf(ConflictError);
    expect((await adminsWithPassword()).map((admin) => admin.email)).toEqual(["cli-admin@example.test"]);
  });

  it("lets exactly one of two concurrent calls become admin; the other gets a ConflictError", async () => {
    const results = await Promise.allSettled([
      createFirstAdmin({ email: "racer-one@example.test", name: "Racer One", password: PASSWORD }),
      createFirstAdmin({ email: "racer-two@example.test", name: "Racer Two", password: "indigo-canyon-bell-77" }),
    ]);
    const fulfilled = results.filter((result) => result.status === "fulfilled");
    const rejected = results.filter((result) => result.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(ConflictError);
    expect((rejected[0]!.reason as ConflictError).status).toBe(409);
    const admins = await adminsWithPassword();
    expect(admins).toHaveLength(1);
    expect(admins[0]!.id).toBe(fulfilled[0]!.value.id);
    // the loser left no account behind either
    const db = await getDb();
    expect(await db.select({ id: users.id }).from(users)).toHaveLength(1);
  });

  it("refuses a weak password with a 400 ValidationError, creating no user, and a good password then works", async () => {
    const before = await countRows({ users, auditLog });
    for (const weak of ["short-pw", "password1234", "aaaaaaaaaaaaaa"]) {
      const error = await createFirstAdmin({ email: "weak@example.test", name: "Weak", password: weak }).catch((e: unknown) => e);
      expect(error, `password ${weak}`).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).status).toBe(400);
      expect((error as ValidationError).fieldErrors).toHaveProperty("password");
    }
    expect(await countRows({ users, auditLog })).toEqual(before);
    expect(await adminExists()).toBe(false);
    // the refused attempts released the setup lock and left nothing half-made
    const { id } = await createFirstAdmin({ email: "weak@example.test", name: "Weak", password: PASSWORD });
    expect((await adminsWithPassword()).map((admin) => admin.id)).toEqual([id]);
  });
});
