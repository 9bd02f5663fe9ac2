import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { operator } from "@/lib/auth/permissions";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { createStaffAccount } from "@/lib/staff/mutations";
import { countRows, makeStaff } from "../../fixtures/builders";

const PASSWORD = "lantern-harbour-91";

describe("createStaffAccount", () => {
  it("stores an argon2id hash (19 MiB, 2 passes) that verifies, and audits the creation", async () => {
    const account = await createStaffAccount(operator, { email: "Ada@Example.test", name: "Ada Byron", role: "admin", password: PASSWORD });
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, account.id));
    expect(row).toMatchObject({ email: "ada@example.test", role: "admin", isActive: true, slug: "ada-byron" });
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(row!.passwordHash!, PASSWORD)).toBe(true);
    expect(await verifyPassword(row!.passwordHash!, "lantern-harbour-92")).toBe(false);
    expect(await verifyPassword("not a hash", PASSWORD)).toBe(false);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.entityId, account.id));
    expect(audit).toMatchObject({ action: "staff.create", actorId: null });
  });

  it("refuses a second account for the same email in any letter case, changing nothing", async () => {
    const before = await countRows({ users, auditLog });
    const duplicate = createStaffAccount(operator, { email: "ADA@example.TEST", name: "Other", role: "writer", password: PASSWORD });
    await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
    await expect(duplicate).rejects.toThrow("An account with the email ada@example.test already exists.");
    expect(await countRows({ users, auditLog })).toEqual(before);
  });

  it("refuses editors and writers, changing nothing", async () => {
    for (const role of ["editor", "writer"] as const) {
      const actor = await makeStaff(role);
      const before = await countRows({ users, auditLog });
      await expect(createStaffAccount(actor, { email: `new-${role}@example.test`, name: "New", role: "admin", password: PASSWORD })).rejects.toBeInstanceOf(ForbiddenError);
      expect(await countRows({ users, auditLog })).toEqual(before);
    }
  });

  it("explains weak passwords and bad fields", async () => {
    const attempt = (password: string, email = "weak@example.test") => createStaffAccount(operator, { email, name: "Weak", role: "writer", password });
    await expect(attempt("short")).rejects.toThrow(ValidationError);
    await expect(attempt("short")).rejects.toThrow("password: Use at least 12 characters.");
    await expect(attempt("password1234")).rejects.toThrow(/too common/);
    await expect(attempt("weakling-weak@x", "weakling@example.test")).rejects.toThrow(/email address/);
    await expect(createStaffAccount(operator, { email: "not-an-email", name: "X", role: "writer", password: PASSWORD })).rejects.toThrow(/^email: /);
    await expect(createStaffAccount(operator, { email: "x@example.test", name: "X", role: "owner" as never, password: PASSWORD })).rejects.toThrow(/role must be/);
  });

  it("gives an existing byline-only author a sign-in, keeping their author page", async () => {
    const db = await getDb();
    await db.insert(users).values({ email: "byline@example.test", name: "Byline Only", slug: "byline-only", role: "writer" });
    const account = await createStaffAccount(operator, { email: "byline@example.test", name: "Byline Only", role: "editor", password: PASSWORD });
    expect(account.slug).toBe("byline-only");
    const [row] = await db.select({ role: users.role, hash: users.passwordHash }).from(users).where(sql`lower(${users.email}) = 'byline@example.test'`);
    expect(row?.role).toBe("editor");
    expect(row?.hash).toBeTruthy();
  });
});

describe("npm run user:create", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "magazine-user-create-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const run = (args: string[], input: string) =>
    spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/user-create.ts", ...args], {
      input,
      encoding: "utf8",
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" },
      timeout: 60_000,
    });

  it("creates an account with the password from the first line of stdin, then refuses the duplicate", () => {
    const first = run(["--email", "chief@example.test", "--role", "admin", "--name", "Chief Editor"], `${PASSWORD}\nignored\n`);
    expect(first.stdout + first.stderr).toContain("Created the admin account chief@example.test");
    expect(first.status).toBe(0);
    const again = run(["--email", "CHIEF@example.test", "--role", "writer"], `${PASSWORD}\n`);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("An account with the email chief@example.test already exists.");
  }, 120_000);

  it("never takes a password from a flag, and explains a bad role", () => {
    const flagged = run(["--email", "x@example.test", "--role", "admin", "--password", PASSWORD], "");
    expect(flagged.status).toBe(1);
    expect(flagged.stderr).toContain("Passwords are never given as flags.");
    const badRole = run(["--email", "x@example.test", "--role", "owner"], `${PASSWORD}\n`);
    expect(badRole.status).toBe(1);
    expect(badRole.stderr).toContain("--role must be admin, editor or writer.");
  }, 60_000);
});
