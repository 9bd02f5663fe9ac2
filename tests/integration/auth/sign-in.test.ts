import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, signInAttempts, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { operator, type Role } from "@/lib/auth/permissions";
import { authenticateStaff } from "@/lib/auth/sign-in";
import { createStaffAccount } from "@/lib/staff/mutations";
import { makeStaff } from "../../fixtures/builders";

// authenticateStaff uses the real clock, and the file shares one database: every test signs in
// from its own address and with its own accounts, so no test's failures count against another.

const PASSWORD = "violet-harbour-lamp-42";
const WRONG = "amber-orchard-kite-17";

/** Every password this file sends, to prove none of them reaches the audit log. */
const passwordsSent = new Set<string>();

let sequence = 0;
const nextIp = () => `198.51.100.${++sequence}`;

async function signIn(email: string, password: string, ip: string) {
  passwordsSent.add(password);
  return authenticateStaff(email, password, ip);
}

async function staffAccount(role: Role = "editor", password = PASSWORD) {
  const n = ++sequence;
  const email = `staff-${n}@example.test`;
  const name = `Staff Member ${n}`;
  const { id } = await createStaffAccount(operator, { email, name, role, password });
  return { id, email, name, role, password };
}

async function auditFrom(ip: string) {
  const db = await getDb();
  return db.select().from(auditLog).where(eq(auditLog.ip, ip)).orderBy(asc(auditLog.id));
}

async function attemptsFrom(ip: string) {
  const db = await getDb();
  return db.select({ email: signInAttempts.email, succeeded: signInAttempts.succeeded }).from(signInAttempts).where(eq(signInAttempts.ip, ip)).orderBy(asc(signInAttempts.id));
}

const INVALID = { ok: false, reason: "invalid" } as const;

describe("authenticateStaff: who may sign in", () => {
  it("signs in an active staff member with the right password, returning who they are without the hash, and audits it", async () => {
    const staff = await staffAccount("editor");
    const ip = nextIp();
    const outcome = await signIn(staff.email, PASSWORD, ip);
    expect(outcome).toEqual({ ok: true, staff: { id: staff.id, name: staff.name, email: staff.email, role: "editor", sessionVersion: 1 } });
    const audit = await auditFrom(ip);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "staff.sign_in", entityType: "user", actorId: staff.id, entityId: staff.id, ip });
    expect(await attemptsFrom(ip)).toEqual([{ email: staff.email, succeeded: true }]);
  });

  it("matches the email case-insensitively and ignores surrounding spaces, whatever case it was stored in", async () => {
    const staff = await staffAccount("writer");
    const typed = `  ${staff.email.toUpperCase()}\t`;
    const first = await signIn(typed, PASSWORD, nextIp());
    expect(first).toMatchObject({ ok: true, staff: { id: staff.id, email: staff.email } });

    // an account whose stored address has capitals (created before addresses were lower-cased)
    const db = await getDb();
    const [mixed] = await db
      .insert(users)
      .values({ email: "Grace.Hopper@Example.TEST", name: "Grace Hopper", slug: `grace-hopper-${++sequence}`, role: "admin", passwordHash: await hashPassword(PASSWORD) })
      .returning({ id: users.id });
    const ip = nextIp();
    const second = await signIn(" grace.hopper@example.test ", PASSWORD, ip);
    expect(second).toMatchObject({ ok: true, staff: { id: mixed!.id, role: "admin" } });
    // throttling and auditing use the normalized address
    expect(await attemptsFrom(ip)).toEqual([{ email: "grace.hopper@example.test", succeeded: true }]);
  });

  it("refuses a wrong password as invalid, recording the failure and auditing the reason", async () => {
    const staff = await staffAccount();
    const ip = nextIp();
    expect(await signIn(staff.email, WRONG, ip)).toEqual(INVALID);
    // a password differing only in letter case is a different password
    expect(await signIn(staff.email, PASSWORD.toUpperCase(), ip)).toEqual(INVALID);
    const audit = await auditFrom(ip);
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ action: "staff.sign_in_failed", actorId: staff.id, entityId: staff.id, details: { email: staff.email, reason: "wrong password" } });
    expect(await attemptsFrom(ip)).toEqual([
      { email: staff.email, succeeded: false },
      { email: staff.email, succeeded: false },
    ]);
  });

  it("refuses an unknown email with the same invalid answer, auditing it without an actor", async () => {
    const ip = nextIp();
    expect(await signIn("nobody-here@example.test", PASSWORD, ip)).toEqual(INVALID);
    const audit = await auditFrom(ip);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "staff.sign_in_failed", actorId: null, entityId: null, details: { email: "nobody-here@example.test", reason: "unknown email" } });
    expect(await attemptsFrom(ip)).toEqual([{ email: "nobody-here@example.test", succeeded: false }]);
  });

  it("refuses an author who has no password, whatever password is given, including an empty one", async () => {
    const author = await makeStaff("admin", "Byline Author");
    const db = await getDb();
    const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, author.id));
    const ip = nextIp();
    expect(await signIn(row!.email, PASSWORD, ip)).toEqual(INVALID);
    expect(await signIn(row!.email, "", ip)).toEqual(INVALID);
    const audit = await auditFrom(ip);
    expect(audit.map((entry) => [entry.action, entry.details])).toEqual([
      ["staff.sign_in_failed", { email: row!.email, reason: "no password set" }],
      ["staff.sign_in_failed", { email: row!.email, reason: "no password set" }],
    ]);
  });

  it("refuses a suspended account even with the right password", async () => {
    const staff = await staffAccount("admin");
    const db = await getDb();
    await db.update(users).set({ isActive: false }).where(eq(users.id, staff.id));
    const ip = nextIp();
    expect(await signIn(staff.email, PASSWORD, ip)).toEqual(INVALID);
    const audit = await auditFrom(ip);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "staff.sign_in_failed", actorId: staff.id, details: { email: staff.email, reason: "suspended" } });
    expect(await attemptsFrom(ip)).toEqual([{ email: staff.email, succeeded: false }]);

    // reactivated, the same password works: the refusal was the suspension
    await db.update(users).set({ isActive: true }).where(eq(users.id, staff.id));
    expect(await signIn(staff.email, PASSWORD, nextIp())).toMatchObject({ ok: true, staff: { id: staff.id } });
  });
});

describe("authenticateStaff: throttling", () => {
  it("throttles the 6th attempt after 5 failures even with the right password, and audits the refusal", async () => {
    const staff = await staffAccount();
    const ip = nextIp();
    for (let i = 0; i < 5; i++) expect(await signIn(staff.email, `${WRONG}-${i}`, ip)).toEqual(INVALID);
    const outcome = await signIn(staff.email, PASSWORD, ip);
    expect(outcome).toMatchObject({ ok: false, reason: "throttled" });
    const retryAfter = (outcome as { retryAfter: number }).retryAfter;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    const audit = await auditFrom(ip);
    expect(audit.map((entry) => entry.action)).toEqual([...Array(5).fill("staff.sign_in_failed"), "staff.sign_in_throttled"]);
    expect(audit[5]).toMatchObject({ entityType: "user", details: { email: staff.email, retryAfter } });
  });

  it("keeps throttling the account when it is tried from a different address", async () => {
    const staff = await staffAccount();
    const firstIp = nextIp();
    for (let i = 0; i < 5; i++) await signIn(staff.email, `${WRONG}-${i}`, firstIp);
    const elsewhere = await signIn(staff.email, PASSWORD, nextIp());
    expect(elsewhere).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("counts failures by the normalized email, so changing letter case or adding spaces does not escape the limit", async () => {
    const staff = await staffAccount();
    const ip = nextIp();
    const variants = [staff.email, staff.email.toUpperCase(), ` ${staff.email}`, `${staff.email}  `, staff.email.replace("staff", "STAFF")];
    for (const variant of variants) expect(await signIn(variant, WRONG, ip)).toEqual(INVALID);
    expect(await signIn(` ${staff.email.toUpperCase()} `, PASSWORD, ip)).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("lets the right password in after 4 failures, and that success restarts the account's count", async () => {
    const staff = await staffAccount();
    const ip = nextIp();
    for (let i = 0; i < 4; i++) await signIn(staff.email, WRONG, ip);
    expect(await signIn(staff.email, PASSWORD, ip)).toMatchObject({ ok: true, staff: { id: staff.id } });
    // 8 failures in the window now, but only 4 since the success
    for (let i = 0; i < 4; i++) expect(await signIn(staff.email, WRONG, ip)).toEqual(INVALID);
    expect(await signIn(staff.email, PASSWORD, ip)).toMatchObject({ ok: true, staff: { id: staff.id } });
  });

  it("throttles an address after 20 failures across accounts, even for a real account with the right password, and only that address", async () => {
    const staff = await staffAccount();
    const ip = nextIp();
    for (let i = 0; i < 20; i++) expect(await signIn(`guess-${sequence}-${i}@example.test`, WRONG, ip)).toEqual(INVALID);
    expect(await signIn(staff.email, PASSWORD, ip)).toMatchObject({ ok: false, reason: "throttled" });
    expect(await signIn(staff.email, PASSWORD, nextIp())).toMatchObject({ ok: true, staff: { id: staff.id } });
  });

  it("lets no more than 5 wrong guesses at one account be checked when they arrive at the same time", async () => {
    const staff = await staffAccount();
    const ip = nextIp();
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(staff.email, `${WRONG}-parallel-${i}`, ip)));
    const checked = outcomes.filter((outcome) => !outcome.ok && outcome.reason === "invalid");
    const throttled = outcomes.filter((outcome) => !outcome.ok && outcome.reason === "throttled");
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.length + throttled.length).toBe(12);
  });
});

describe("authenticateStaff: the audit log", () => {
  it("never contains a password, in any row, for any outcome", async () => {
    // one of each outcome with passwords of their own, on top of everything this file has sent
    const staff = await staffAccount("writer", "saffron-lighthouse-quill-58");
    const suspended = await staffAccount("editor", "cobalt-meadow-ferry-63");
    const db = await getDb();
    await db.update(users).set({ isActive: false }).where(eq(users.id, suspended.id));
    const ip = nextIp();
    expect(await signIn(staff.email, "saffron-lighthouse-quill-58", ip)).toMatchObject({ ok: true });
    expect(await signIn("nobody-else@example.test", "granite-willow-sail-31", ip)).toEqual(INVALID);
    expect(await signIn(suspended.email, "cobalt-meadow-ferry-63", ip)).toEqual(INVALID);
    for (let i = 0; i < 5; i++) await signIn(staff.email, `crimson-tundra-oar-${i}`, ip);
    expect(await signIn(staff.email, "saffron-lighthouse-quill-58", ip)).toMatchObject({ reason: "throttled" });

    const rows = await db.select().from(auditLog);
    expect(rows.filter((row) => row.action.startsWith("staff.sign_in")).length).toBeGreaterThan(20);
    const everything = JSON.stringify(rows);
    expect(passwordsSent.size).toBeGreaterThan(10);
    for (const password of passwordsSent) {
      if (password.length < 4) continue; // the empty password sent to a password-less author
      expect(everything, `audit log contains the password ${password}`).not.toContain(password);
    }
    // nor the stored hashes
    const hashes = await db.select({ hash: users.passwordHash }).from(users);
    for (const { hash } of hashes) if (hash) expect(everything).not.toContain(hash);
  });
});
