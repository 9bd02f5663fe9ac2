import { createHash, randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, signInAttempts, staffTokens, users } from "@/db/schema";
import { operator, type Actor, type Role } from "@/lib/auth/permissions";
import { authenticateStaff } from "@/lib/auth/sign-in";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { createStaffAccount } from "@/lib/staff/mutations";
import { forcePasswordReset, inviteStaff, readStaffLink, redeemStaffLink } from "@/lib/staff/tokens";
import { countRows, failure, makeStaff } from "../../fixtures/builders";

// The file shares one database: every test uses its own emails, accounts and sign-in address, so
// no test's rows or throttle counts leak into another's assertions.

const PASSWORD = "violet-harbour-lamp-42";
const NEW_PASSWORD = "copper-meadow-sail-73";
const OTHER_PASSWORD = "amber-orchard-kite-17";
const HOUR = 3_600_000;

let sequence = 0;
const nextIp = () => `203.0.113.${++sequence}`;
const uniqueEmail = (label: string) => `${label}-${++sequence}@example.test`;

async function staffAccount(role: Role = "editor", password = PASSWORD) {
  const n = ++sequence;
  const email = `member-${n}@example.test`;
  const name = `Member Number ${n}`;
  const { id } = await createStaffAccount(operator, { email, name, role, password });
  const actor: Actor = { kind: "staff", id, role };
  return { id, email, name, role, actor };
}

const tokenOf = (path: string) => {
  const match = /^\/editor\/welcome\/([A-Za-z0-9_-]{43})$/.exec(path);
  if (!match) throw new Error(`not a welcome link: ${path}`);
  return match[1]!;
};
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");


async function tokenRow(token: string) {
  const db = await getDb();
  const [row] = await db.select().from(staffTokens).where(eq(staffTokens.tokenHash, sha256(token)));
  return row;
}

async function userRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row!;
}

async function usersWithEmail(email: string) {
  const db = await getDb();
  return db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
}

async function auditFor(action: string) {
  const db = await getDb();
  return db.select().from(auditLog).where(eq(auditLog.action, action));
}

const everything = { users, staffTokens, auditLog, signInAttempts };

describe("inviteStaff", () => {
  it("returns a /editor/welcome/<token> link valid for 72 hours, stores the invitation and audits staff.invite", async () => {
    const admin = await staffAccount("admin");
    const before = Date.now();
    const link = await inviteStaff(admin.actor, { email: "New.Writer@Example.TEST", role: "writer" });
    const after = Date.now();
    const token = tokenOf(link.path);
    expect(link.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 72 * HOUR);
    expect(link.expiresAt.getTime()).toBeLessThanOrEqual(after + 72 * HOUR);

    const row = await tokenRow(token);
    expect(row).toMatchObject({ kind: "invite", email: "new.writer@example.test", role: "writer", createdBy: admin.id, userId: null, usedAt: null });
    expect(row!.expiresAt.getTime()).toBe(link.expiresAt.getTime());
    expect(await readStaffLink(token)).toEqual({ kind: "invite", email: "new.writer@example.test", role: "writer", name: null });

    const audit = (await auditFor("staff.invite")).filter((entry) => entry.details.email === "new.writer@example.test");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, entityType: "user", details: { email: "new.writer@example.test", role: "writer" } });
  });

  it("stores only the SHA-256 of the token: the token text appears nowhere in staff_tokens", async () => {
    const admin = await staffAccount("admin");
    const invite = tokenOf((await inviteStaff(admin.actor, { email: uniqueEmail("hashed"), role: "editor" })).path);
    const target = await staffAccount("writer");
    const reset = tokenOf((await forcePasswordReset(admin.actor, target.id)).path);

    const db = await getDb();
    const rows = await db.select().from(staffTokens);
    const stored = JSON.stringify(rows);
    for (const token of [invite, reset]) {
      expect(stored).not.toContain(token);
      expect(rows.filter((row) => row.tokenHash === sha256(token))).toHaveLength(1);
    }
    // and the table as PostgreSQL sees it, every column cast to text
    const raw = await db.execute(sql`select s::text as line from staff_tokens s`);
    const lines = (raw as unknown as { rows: { line: string }[] }).rows.map((r) => r.line);
    expect(lines.length).toBe(rows.length);
    for (const token of [invite, reset]) expect(lines.join("\n")).not.toContain(token);
  });

  it("lets the operator (a trusted shell user) invite as an admin would", async () => {
    const email = uniqueEmail("from-operator");
    const link = await inviteStaff(operator, { email, role: "admin" });
    expect(await readStaffLink(tokenOf(link.path))).toEqual({ kind: "invite", email, role: "admin", name: null });
    const audit = (await auditFor("staff.invite")).filter((entry) => entry.details.email === email);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBeNull();
  });

  it("refuses editors and writers with 403, writing nothing", async () => {
    for (const role of ["editor", "writer"] as const) {
      const member = await staffAccount(role);
      const before = await countRows(everything);
      const error = await failure(inviteStaff(member.actor, { email: uniqueEmail("not-allowed"), role: "writer" }));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(error.status).toBe(403);
      expect(await countRows(everything)).toEqual(before);
    }
  });

  it("refuses, with 409, an email that already has a password, in any letter case, writing nothing", async () => {
    const admin = await staffAccount("admin");
    const existing = await staffAccount("writer");
    const before = await countRows(everything);
    const error = await failure(inviteStaff(admin.actor, { email: existing.email.toUpperCase(), role: "editor" }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(await countRows(everything)).toEqual(before);
  });

  it("refuses a bad email or role with 400, writing nothing", async () => {
    const admin = await staffAccount("admin");
    const before = await countRows(everything);
    const attempts = [
      { email: "not-an-email", role: "writer" },
      { email: "", role: "writer" },
      { email: "two@@example.test", role: "editor" },
      { email: uniqueEmail("bad-role"), role: "owner" },
      { email: uniqueEmail("no-role"), role: "" },
      { email: uniqueEmail("case-role"), role: "Admin" },
    ];
    for (const input of attempts) {
      const error = await failure(inviteStaff(admin.actor, input));
      expect(error, JSON.stringify(input)).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
    }
    expect(await countRows(everything)).toEqual(before);
  });
});

describe("redeemStaffLink: invitations", () => {
  it("creates an account with the invited role that can sign in, marks the link used and audits staff.invite_accepted", async () => {
    const admin = await staffAccount("admin");
    const email = uniqueEmail("newcomer");
    const token = tokenOf((await inviteStaff(admin.actor, { email, role: "editor" })).path);

    expect(await redeemStaffLink(token, { name: "Nora Newcomer", password: PASSWORD })).toEqual({ email });
    const created = await usersWithEmail(email);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ email, name: "Nora Newcomer", role: "editor", isActive: true });
    expect((await tokenRow(token))!.usedAt).toBeInstanceOf(Date);

    const outcome = await authenticateStaff(email, PASSWORD, nextIp());
    expect(outcome).toMatchObject({ ok: true, staff: { id: created[0]!.id, email, role: "editor", name: "Nora Newcomer" } });

    const accepted = (await auditFor("staff.invite_accepted")).filter((entry) => entry.entityId === created[0]!.id);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ actorId: created[0]!.id, entityType: "user", details: { invitedBy: admin.id } });
  });

  it("works exactly once: a second redeem is 404, readStaffLink then answers null, and nothing more is written", async () => {
    const admin = await staffAccount("admin");
    const email = uniqueEmail("once");
    const token = tokenOf((await inviteStaff(admin.actor, { email, role: "writer" })).path);
    await redeemStaffLink(token, { name: "Olive Once", password: PASSWORD });

    expect(await readStaffLink(token)).toBeNull();
    const before = await countRows(everything);
    const error = await failure(redeemStaffLink(token, { name: "Olive Twice", password: OTHER_PASSWORD }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(await countRows(everything)).toEqual(before);
    // the account keeps the first name and password
    const [user] = await usersWithEmail(email);
    expect(user!.name).toBe("Olive Once");
    expect(await authenticateStaff(email, OTHER_PASSWORD, nextIp())).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticateStaff(email, PASSWORD, nextIp())).toMatchObject({ ok: true });
  });

  it("refuses an expired link: readStaffLink answers null and redeem is 404, creating no account", async () => {
    const admin = await staffAccount("admin");
    const email = uniqueEmail("late");
    const token = tokenOf((await inviteStaff(admin.actor, { email, role: "writer" })).path);
    const db = await getDb();
    await db.update(staffTokens).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(staffTokens.tokenHash, sha256(token)));

    expect(await readStaffLink(token)).toBeNull();
    const before = await countRows(everything);
    const error = await failure(redeemStaffLink(token, { name: "Lee Late", password: PASSWORD }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(await countRows(everything)).toEqual(before);
    expect(await usersWithEmail(email)).toHaveLength(0);
    expect((await tokenRow(token))!.usedAt).toBeNull();
  });

  it("refuses unknown and malformed tokens with 404 (and readStaffLink answers null)", async () => {
    const unknown = "A".repeat(43);
    for (const token of [unknown, "short", "", `${unknown}A`, "!".repeat(43)]) {
      expect(await readStaffLink(token)).toBeNull();
      const error = await failure(redeemStaffLink(token, { name: "Nobody", password: PASSWORD }));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.status).toBe(404);
    }
  });

  it("refuses a weak password with 400, leaving the link unused and no account created; a strong one then works", async () => {
    const admin = await staffAccount("admin");
    const email = uniqueEmail("weakling");
    const token = tokenOf((await inviteStaff(admin.actor, { email, role: "writer" })).path);
    const before = await countRows(everything);

    for (const password of ["short", "password1234", `${email.split("@")[0]}-secret`]) {
      const error = await failure(redeemStaffLink(token, { name: "Wendy Weak", password }));
      expect(error, password).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/^password: /);
    }
    expect(await countRows(everything)).toEqual(before);
    expect(await usersWithEmail(email)).toHaveLength(0);
    expect((await tokenRow(token))!.usedAt).toBeNull();
    expect(await readStaffLink(token)).toEqual({ kind: "invite", email, role: "writer", name: null });

    await redeemStaffLink(token, { name: "Wendy Weak", password: PASSWORD });
    expect(await usersWithEmail(email)).toHaveLength(1);
  });

  it("refuses a missing name with 400, leaving the link unused", async () => {
    const admin = await staffAccount("admin");
    const email = uniqueEmail("nameless");
    const token = tokenOf((await inviteStaff(admin.actor, { email, role: "writer" })).path);
    const before = await countRows(everything);
    const error = await failure(redeemStaffLink(token, { password: PASSWORD }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    expect(await countRows(everything)).toEqual(before);
    expect(await readStaffLink(token)).not.toBeNull();
  });

  it("gives a byline-only author who is invited a sign-in, keeping their author page", async () => {
    const admin = await staffAccount("admin");
    const author = await makeStaff("writer", "Bea Byline");
    const [row] = await (await getDb()).select({ email: users.email }).from(users).where(eq(users.id, author.id));
    const token = tokenOf((await inviteStaff(admin.actor, { email: row!.email, role: "editor" })).path);
    await redeemStaffLink(token, { name: "Bea Byline", password: PASSWORD });
    const after = await userRow(author.id);
    expect(after).toMatchObject({ slug: author.slug, role: "editor" });
    expect(await usersWithEmail(row!.email)).toHaveLength(1);
    expect(await authenticateStaff(row!.email, PASSWORD, nextIp())).toMatchObject({ ok: true, staff: { id: author.id } });
  });

  it("lets exactly one of two simultaneous redeems of one link succeed, creating one account", async () => {
    const admin = await staffAccount("admin");
    const email = uniqueEmail("race");
    const token = tokenOf((await inviteStaff(admin.actor, { email, role: "writer" })).path);
    const outcomes = await Promise.allSettled([
      redeemStaffLink(token, { name: "Racer One", password: PASSWORD }),
      redeemStaffLink(token, { name: "Racer Two", password: OTHER_PASSWORD }),
    ]);
    const fulfilled = outcomes.filter((o) => o.status === "fulfilled");
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(NotFoundError);

    const created = await usersWithEmail(email);
    expect(created).toHaveLength(1);
    const winner = outcomes[0]!.status === "fulfilled" ? { name: "Racer One", password: PASSWORD } : { name: "Racer Two", password: OTHER_PASSWORD };
    expect(created[0]!.name).toBe(winner.name);
    expect(await authenticateStaff(email, winner.password, nextIp())).toMatchObject({ ok: true });
    expect((await auditFor("staff.invite_accepted")).filter((entry) => entry.entityId === created[0]!.id)).toHaveLength(1);
  });
});

// The same redemption rules, with the invitation row written straight into staff_tokens as
// inviteStaff would write it: these check redeemStaffLink's invitation path on its own, so a
// failure of inviteStaff itself does not hide whether redemption works.
async function seedInvite(email: string, role: Role, createdBy: string | null) {
  const token = randomBytes(32).toString("base64url");
  const db = await getDb();
  await db.insert(staffTokens).values({ kind: "invite", tokenHash: sha256(token), email, role, createdBy, expiresAt: new Date(Date.now() + 72 * HOUR) });
  return token;
}

describe("redeemStaffLink: invitation rows written directly", () => {
  it("creates an account with the invited role that can sign in, audits staff.invite_accepted, and works only once", async () => {
    const admin = await staffAccount("admin");
    const email = uniqueEmail("seeded");
    const token = await seedInvite(email, "editor", admin.id);
    expect(await readStaffLink(token)).toEqual({ kind: "invite", email, role: "editor", name: null });

    expect(await redeemStaffLink(token, { name: "Sid Seeded", password: PASSWORD })).toEqual({ email });
    const created = await usersWithEmail(email);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ name: "Sid Seeded", role: "editor" });
    expect(await authenticateStaff(email, PASSWORD, nextIp())).toMatchObject({ ok: true, staff: { id: created[0]!.id, role: "editor" } });
    const accepted = (await auditFor("staff.invite_accepted")).filter((entry) => entry.entityId === created[0]!.id);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ actorId: created[0]!.id, details: { invitedBy: admin.id } });

    expect(await readStaffLink(token)).toBeNull();
    const again = await failure(redeemStaffLink(token, { name: "Sid Again", password: OTHER_PASSWORD }));
    expect(again).toBeInstanceOf(NotFoundError);
    expect(again.status).toBe(404);
  });

  it("refuses a weak password with 400 and writes nothing; refuses an expired row with 404", async () => {
    const email = uniqueEmail("seeded-weak");
    const token = await seedInvite(email, "writer", null);
    const before = await countRows(everything);
    const weak = await failure(redeemStaffLink(token, { name: "Wes Weak", password: "short" }));
    expect(weak).toBeInstanceOf(ValidationError);
    expect(weak.status).toBe(400);
    expect(await countRows(everything)).toEqual(before);
    expect((await tokenRow(token))!.usedAt).toBeNull();

    const db = await getDb();
    await db.update(staffTokens).set({ expiresAt: new Date(Date.now() - 1_000) }).where(eq(staffTokens.tokenHash, sha256(token)));
    expect(await readStaffLink(token)).toBeNull();
    const expired = await failure(redeemStaffLink(token, { name: "Wes Weak", password: PASSWORD }));
    expect(expired).toBeInstanceOf(NotFoundError);
    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it("lets exactly one of two simultaneous redeems succeed, creating one account", async () => {
    const email = uniqueEmail("seeded-race");
    const token = await seedInvite(email, "writer", null);
    const outcomes = await Promise.allSettled([
      redeemStaffLink(token, { name: "Racer One", password: PASSWORD }),
      redeemStaffLink(token, { name: "Racer Two", password: OTHER_PASSWORD }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(NotFoundError);
    expect(await usersWithEmail(email)).toHaveLength(1);
  });
});

describe("forcePasswordReset", () => {
  it("stops the old password at once, bumps session_version, audits it, and returns a 24-hour reset link", async () => {
    const admin = await staffAccount("admin");
    const target = await staffAccount("writer");
    const ip = nextIp();
    expect(await authenticateStaff(target.email, PASSWORD, ip)).toMatchObject({ ok: true });
    const versionBefore = (await userRow(target.id)).sessionVersion;

    const before = Date.now();
    const link = await forcePasswordReset(admin.actor, target.id);
    const after = Date.now();
    expect(link.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 24 * HOUR);
    expect(link.expiresAt.getTime()).toBeLessThanOrEqual(after + 24 * HOUR);

    expect(await authenticateStaff(target.email, PASSWORD, ip)).toEqual({ ok: false, reason: "invalid" });
    const row = await userRow(target.id);
    expect(row.sessionVersion).toBe(versionBefore + 1);
    expect(row.passwordHash).toBeTruthy(); // still listed as staff, but no known password opens it

    const token = tokenOf(link.path);
    expect(await readStaffLink(token)).toEqual({ kind: "reset", email: target.email, role: "writer", name: target.name });
    expect(await tokenRow(token)).toMatchObject({ kind: "reset", userId: target.id, createdBy: admin.id, usedAt: null });
    const audit = (await auditFor("staff.force_password_reset")).filter((entry) => entry.entityId === target.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, entityType: "user" });
  });

  it("keeps only the newest reset link working, and retires every other once one is used", async () => {
    const admin = await staffAccount("admin");
    const target = await staffAccount("writer");
    const first = tokenOf((await forcePasswordReset(admin.actor, target.id)).path);
    const second = tokenOf((await forcePasswordReset(admin.actor, target.id)).path);
    // the earlier link (sent to the wrong place, say) stopped when the new one was made
    expect(await readStaffLink(first)).toBeNull();
    expect(await failure(redeemStaffLink(first, { password: NEW_PASSWORD }))).toBeInstanceOf(NotFoundError);
    // two links outstanding at once (as before this rule): using one retires the other
    const db = await getDb();
    const spare = randomBytes(32).toString("base64url");
    await db.insert(staffTokens).values({ kind: "reset", tokenHash: sha256(spare), email: target.email, role: "writer", userId: target.id, createdBy: admin.id, expiresAt: new Date(Date.now() + HOUR) });
    await redeemStaffLink(second, { password: NEW_PASSWORD });
    expect(await readStaffLink(spare)).toBeNull();
    expect(await failure(redeemStaffLink(spare, { password: OTHER_PASSWORD }))).toBeInstanceOf(NotFoundError);
    expect(await authenticateStaff(target.email, NEW_PASSWORD, nextIp())).toMatchObject({ ok: true });
  });

  it("refuses an admin's reset of their own password with 409 (it would sign them out and lose the link), writing nothing", async () => {
    const admin = await staffAccount("admin");
    const before = await countRows(everything);
    const error = await failure(forcePasswordReset(admin.actor, admin.id));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/Change password on your profile/);
    expect(await countRows(everything)).toEqual(before);
    expect(await authenticateStaff(admin.email, PASSWORD, nextIp())).toMatchObject({ ok: true });
  });

  it("lets the operator force a reset", async () => {
    const target = await staffAccount("editor");
    const link = await forcePasswordReset(operator, target.id);
    expect(await readStaffLink(tokenOf(link.path))).toMatchObject({ kind: "reset", email: target.email });
    expect(await authenticateStaff(target.email, PASSWORD, nextIp())).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses editors and writers with 403: the password keeps working and nothing is written", async () => {
    const target = await staffAccount("admin");
    const versionBefore = (await userRow(target.id)).sessionVersion;
    const hashBefore = (await userRow(target.id)).passwordHash;
    for (const role of ["editor", "writer"] as const) {
      const member = await staffAccount(role);
      const before = await countRows(everything);
      const error = await failure(forcePasswordReset(member.actor, target.id));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(error.status).toBe(403);
      expect(await countRows(everything)).toEqual(before);
    }
    const row = await userRow(target.id);
    expect(row.sessionVersion).toBe(versionBefore);
    expect(row.passwordHash).toBe(hashBefore);
    expect(await authenticateStaff(target.email, PASSWORD, nextIp())).toMatchObject({ ok: true });
  });

  it("answers 404 for an unknown user or an author without a sign-in, writing nothing", async () => {
    const admin = await staffAccount("admin");
    const author = await makeStaff("writer", "Nadia No Password");
    const before = await countRows(everything);
    for (const id of ["00000000-0000-4000-8000-000000000000", author.id]) {
      const error = await failure(forcePasswordReset(admin.actor, id));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.status).toBe(404);
    }
    expect(await countRows(everything)).toEqual(before);
    expect((await userRow(author.id)).passwordHash).toBeNull();
  });
});

describe("redeemStaffLink: resets", () => {
  it("sets the new password: it signs in, the old one does not, session_version is bumped again, and staff.password_reset is audited", async () => {
    const admin = await staffAccount("admin");
    const target = await staffAccount("editor");
    const token = tokenOf((await forcePasswordReset(admin.actor, target.id)).path);
    const versionAfterForce = (await userRow(target.id)).sessionVersion;
    const usersBefore = (await countRows({ users })).users;

    expect(await redeemStaffLink(token, { password: NEW_PASSWORD })).toEqual({ email: target.email });
    expect((await countRows({ users })).users).toBe(usersBefore);
    const row = await userRow(target.id);
    expect(row.sessionVersion).toBe(versionAfterForce + 1);
    expect(row.role).toBe("editor");

    const ip = nextIp();
    expect(await authenticateStaff(target.email, PASSWORD, ip)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticateStaff(target.email, NEW_PASSWORD, ip)).toMatchObject({ ok: true, staff: { id: target.id, role: "editor" } });

    const audit = (await auditFor("staff.password_reset")).filter((entry) => entry.entityId === target.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: target.id, entityType: "user" });
  });

  it("works exactly once: the second redeem is 404 and its password never works", async () => {
    const admin = await staffAccount("admin");
    const target = await staffAccount("writer");
    const token = tokenOf((await forcePasswordReset(admin.actor, target.id)).path);
    await redeemStaffLink(token, { password: NEW_PASSWORD });

    expect(await readStaffLink(token)).toBeNull();
    const hashBefore = (await userRow(target.id)).passwordHash;
    const error = await failure(redeemStaffLink(token, { password: OTHER_PASSWORD }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect((await userRow(target.id)).passwordHash).toBe(hashBefore);
    const ip = nextIp();
    expect(await authenticateStaff(target.email, OTHER_PASSWORD, ip)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticateStaff(target.email, NEW_PASSWORD, ip)).toMatchObject({ ok: true });
  });

  it("refuses a weak password with 400, leaving the link unused and the account still locked", async () => {
    const admin = await staffAccount("admin");
    const target = await staffAccount("writer");
    const token = tokenOf((await forcePasswordReset(admin.actor, target.id)).path);
    const rowBefore = await userRow(target.id);
    const before = await countRows(everything);

    for (const password of ["short", "qwerty123456", `${target.email.split("@")[0]}-forever`]) {
      const error = await failure(redeemStaffLink(token, { password }));
      expect(error, password).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
    }
    expect(await countRows(everything)).toEqual(before);
    const rowAfter = await userRow(target.id);
    expect(rowAfter.passwordHash).toBe(rowBefore.passwordHash);
    expect(rowAfter.sessionVersion).toBe(rowBefore.sessionVersion);
    expect((await tokenRow(token))!.usedAt).toBeNull();
    expect(await readStaffLink(token)).toMatchObject({ kind: "reset", email: target.email });

    await redeemStaffLink(token, { password: NEW_PASSWORD });
    expect(await authenticateStaff(target.email, NEW_PASSWORD, nextIp())).toMatchObject({ ok: true });
  });

  it("refuses an expired reset link with 404, leaving the account locked", async () => {
    const admin = await staffAccount("admin");
    const target = await staffAccount("writer");
    const token = tokenOf((await forcePasswordReset(admin.actor, target.id)).path);
    const db = await getDb();
    await db.update(staffTokens).set({ expiresAt: new Date(Date.now() - 1_000) }).where(and(eq(staffTokens.tokenHash, sha256(token)), eq(staffTokens.kind, "reset")));
    const hashBefore = (await userRow(target.id)).passwordHash;

    expect(await readStaffLink(token)).toBeNull();
    const error = await failure(redeemStaffLink(token, { password: NEW_PASSWORD }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect((await userRow(target.id)).passwordHash).toBe(hashBefore);
    expect(await authenticateStaff(target.email, NEW_PASSWORD, nextIp())).toEqual({ ok: false, reason: "invalid" });
  });

  it("lets exactly one of two simultaneous redeems of one reset link succeed; only its password works", async () => {
    const admin = await staffAccount("admin");
    const target = await staffAccount("writer");
    const token = tokenOf((await forcePasswordReset(admin.actor, target.id)).path);
    const versionAfterForce = (await userRow(target.id)).sessionVersion;
    const outcomes = await Promise.allSettled([redeemStaffLink(token, { password: NEW_PASSWORD }), redeemStaffLink(token, { password: OTHER_PASSWORD })]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(NotFoundError);

    const [winner, loser] = outcomes[0]!.status === "fulfilled" ? [NEW_PASSWORD, OTHER_PASSWORD] : [OTHER_PASSWORD, NEW_PASSWORD];
    const ip = nextIp();
    expect(await authenticateStaff(target.email, loser, ip)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticateStaff(target.email, winner, ip)).toMatchObject({ ok: true });
    expect((await userRow(target.id)).sessionVersion).toBe(versionAfterForce + 1);
    expect((await auditFor("staff.password_reset")).filter((entry) => entry.entityId === target.id)).toHaveLength(1);
  });
});
