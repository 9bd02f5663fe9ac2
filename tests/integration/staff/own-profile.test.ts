import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, sections, users } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import { operator, type Actor, type Role } from "@/lib/auth/permissions";
import { authenticateStaff } from "@/lib/auth/sign-in";
import { tags } from "@/lib/cache/tags";
import { DomainError, ForbiddenError, ValidationError } from "@/lib/errors";
import { createStaffAccount } from "@/lib/staff/mutations";
import { changeOwnPassword, getOwnProfile, updateOwnProfile } from "@/lib/staff/profile";
import { countRows, docOf, failure, makeStaff } from "../../fixtures/builders";

// The file shares one database: every test uses its own accounts and its own address, so no
// test's rows or throttle counts leak into another's assertions.

const PASSWORD = "violet-harbour-lamp-42";
const NEW_PASSWORD = "copper-meadow-sail-73";
const WRONG = "amber-orchard-kite-17";

let sequence = 0;
const nextIp = () => `192.0.2.${++sequence}`;

async function staffAccount(role: Role = "writer") {
  const n = ++sequence;
  const email = `profile-${n}@example.test`;
  const name = `Profile Person ${n}`;
  const { id, slug } = await createStaffAccount(operator, { email, name, role, password: PASSWORD });
  const actor: Actor = { kind: "staff", id, role };
  return { id, slug, email, name, role, actor };
}


async function userRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row!;
}

async function auditOf(action: string, entityId: string) {
  const db = await getDb();
  return (await db.select().from(auditLog).where(eq(auditLog.entityId, entityId))).filter((entry) => entry.action === action);
}

function tagExpiry(): Map<string, number> {
  const store = globalThis as { __magazinePageCache?: { tagExpiry: Map<string, number> } };
  return store.__magazinePageCache?.tagExpiry ?? new Map();
}

describe("getOwnProfile", () => {
  it("returns the signed-in staff member's own name, bio, email, slug and photo", async () => {
    const me = await staffAccount("editor");
    await staffAccount("editor"); // someone else, who must not be returned
    expect(await getOwnProfile(me.actor)).toEqual({ name: me.name, bio: null, email: me.email, slug: me.slug, photo: null });
  });

  it("refuses an actor who is not signed-in staff, for every profile operation, with 403", async () => {
    for (const call of [
      () => getOwnProfile(operator),
      () => updateOwnProfile(operator, { name: "Operator", bio: "" }),
      () => changeOwnPassword(operator, { current: PASSWORD, next: NEW_PASSWORD }, nextIp()),
    ]) {
      const error = await failure(call());
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(error.status).toBe(403);
    }
  });
});

describe("updateOwnProfile", () => {
  it("trims the name, stores the bio exactly as typed (markup stays text), and audits the change", async () => {
    const me = await staffAccount();
    const bio = '<script>alert(1)</script> & "quotes" — <b>not bold</b>\nSecond line.';
    await updateOwnProfile(me.actor, { name: "   Rosa <em>Reporter</em>\t", bio });
    const row = await userRow(me.id);
    expect(row.name).toBe("Rosa <em>Reporter</em>");
    expect(row.bio).toBe(bio);
    expect(await getOwnProfile(me.actor)).toMatchObject({ name: "Rosa <em>Reporter</em>", bio });
    expect(row.slug).toBe(me.slug); // the author page keeps its address

    await updateOwnProfile(me.actor, { name: "Script Kiddie", bio: "<script>alert(1)</script>" });
    expect((await userRow(me.id)).bio).toBe("<script>alert(1)</script>");

    const audit = await auditOf("staff.profile_update", me.id);
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actorId: me.id, entityType: "user" });
  });

  it("stores an empty bio as null", async () => {
    const me = await staffAccount();
    await updateOwnProfile(me.actor, { name: me.name, bio: "Writes about harbours." });
    expect((await userRow(me.id)).bio).toBe("Writes about harbours.");
    await updateOwnProfile(me.actor, { name: me.name, bio: "" });
    expect((await userRow(me.id)).bio).toBeNull();
    await updateOwnProfile(me.actor, { name: me.name, bio: "Back again." });
    await updateOwnProfile(me.actor, { name: me.name });
    expect((await userRow(me.id)).bio).toBeNull();
  });

  it("changes only the actor's own row", async () => {
    const me = await staffAccount();
    const other = await staffAccount();
    await updateOwnProfile(me.actor, { name: "Only Me", bio: "Mine." });
    const otherRow = await userRow(other.id);
    expect(otherRow.name).toBe(other.name);
    expect(otherRow.bio).toBeNull();
  });

  it("requires a name of at most 120 characters and a bio of at most 2,000, refusing with 400 and changing nothing", async () => {
    const me = await staffAccount();
    await updateOwnProfile(me.actor, { name: "Kept Name", bio: "Kept bio." });
    const before = await countRows({ users, auditLog });
    const refused = [
      { name: "", bio: "x" },
      { name: "   \t ", bio: "x" },
      { bio: "no name at all" },
      { name: "n".repeat(121), bio: "" },
      { name: "Fine Name", bio: "b".repeat(2001) },
    ];
    for (const input of refused) {
      const error = await failure(updateOwnProfile(me.actor, input));
      expect(error, JSON.stringify(input).slice(0, 60)).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
    }
    expect((await failure(updateOwnProfile(me.actor, { name: "" }))).message).toMatch(/^name: /);
    expect((await failure(updateOwnProfile(me.actor, { name: "Ok", bio: "b".repeat(2001) }))).message).toMatch(/^bio: /);
    expect(await countRows({ users, auditLog })).toEqual(before);
    expect(await userRow(me.id)).toMatchObject({ name: "Kept Name", bio: "Kept bio." });

    // the limits themselves are allowed
    await updateOwnProfile(me.actor, { name: "n".repeat(120), bio: "b".repeat(2000) });
    expect(await userRow(me.id)).toMatchObject({ name: "n".repeat(120), bio: "b".repeat(2000) });
  });

  it("expires the author tag and the tags of every article the user wrote, but not other authors' articles", async () => {
    const db = await getDb();
    await db.insert(sections).values({ slug: "harbours", name: "Harbours" });
    const me = await staffAccount("writer");
    const editor = await makeStaff("editor", "Edith Editor");
    const mine = await createArticle(editor, { title: "Lighthouse keepers", body: docOf("Beam."), section: "harbours", tags: ["Lighthouses"], authors: [me.slug], status: "published" });
    const draft = await createArticle(editor, { title: "Unfinished piece", body: docOf("Soon."), authors: [me.slug] });
    const theirs = await createArticle(editor, { title: "Someone else entirely", body: docOf("Other."), authors: [editor.slug], status: "published" });

    const expected = [tags.author(me.slug), tags.article(mine.slug), tags.article(draft.slug), tags.section("harbours"), tags.tag("lighthouses"), tags.frontPage, tags.feed, tags.sitemap, tags.search];
    const expiry = tagExpiry();
    for (const tag of [...expected, tags.article(theirs.slug), tags.author(editor.slug)]) expiry.delete(tag);
    const before = Date.now();

    await updateOwnProfile(me.actor, { name: "Renamed Writer", bio: "Now with a bio." });

    const after = tagExpiry();
    for (const tag of expected) {
      expect(after.get(tag), tag).toBeGreaterThanOrEqual(before);
      expect(after.get(tag), tag).toBeLessThanOrEqual(Date.now());
    }
    expect(after.has(tags.article(theirs.slug))).toBe(false);
    expect(after.has(tags.author(editor.slug))).toBe(false);
  });

  it("expires the author tag even for someone who has written nothing yet", async () => {
    const me = await staffAccount("writer");
    tagExpiry().delete(tags.author(me.slug));
    const before = Date.now();
    await updateOwnProfile(me.actor, { name: "Quiet Newcomer", bio: "" });
    expect(tagExpiry().get(tags.author(me.slug))).toBeGreaterThanOrEqual(before);
  });
});

describe("changeOwnPassword", () => {
  it("with the right current password: the new one signs in, the old one does not, session_version is bumped, and it is audited", async () => {
    const me = await staffAccount("editor");
    const versionBefore = (await userRow(me.id)).sessionVersion;
    await changeOwnPassword(me.actor, { current: PASSWORD, next: NEW_PASSWORD }, nextIp());
    expect((await userRow(me.id)).sessionVersion).toBe(versionBefore + 1);
    const ip = nextIp();
    expect(await authenticateStaff(me.email, PASSWORD, ip)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticateStaff(me.email, NEW_PASSWORD, ip)).toMatchObject({ ok: true, staff: { id: me.id, sessionVersion: versionBefore + 1 } });
    const audit = await auditOf("staff.password_change", me.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: me.id, entityType: "user" });
  });

  it("refuses a wrong current password with 400, leaving the password and sessions as they were", async () => {
    const me = await staffAccount();
    const before = await userRow(me.id);
    const error = await failure(changeOwnPassword(me.actor, { current: WRONG, next: NEW_PASSWORD }, nextIp()));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    const after = await userRow(me.id);
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.sessionVersion).toBe(before.sessionVersion);
    expect(await auditOf("staff.password_change", me.id)).toHaveLength(0);
    const ip = nextIp();
    expect(await authenticateStaff(me.email, NEW_PASSWORD, ip)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticateStaff(me.email, PASSWORD, ip)).toMatchObject({ ok: true });
  });

  it("enforces the password rules on the new password (400), leaving the old one in place", async () => {
    const me = await staffAccount();
    const before = await userRow(me.id);
    for (const next of ["short", "password1234", "aaaaaaaaaaaaaaaa", `${me.email.split("@")[0]}-is-mine`, "x".repeat(257)]) {
      const error = await failure(changeOwnPassword(me.actor, { current: PASSWORD, next }, nextIp()));
      expect(error, next.slice(0, 40)).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/^new password: /);
    }
    const after = await userRow(me.id);
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.sessionVersion).toBe(before.sessionVersion);
    expect(await authenticateStaff(me.email, PASSWORD, nextIp())).toMatchObject({ ok: true });
  });

  it("after 5 wrong current passwords within 15 minutes answers 429, even for the right one, and changes nothing", async () => {
    const me = await staffAccount();
    const ip = nextIp();
    const before = await userRow(me.id);
    for (let i = 0; i < 5; i++) {
      const error = await failure(changeOwnPassword(me.actor, { current: `${WRONG}-${i}`, next: NEW_PASSWORD }, ip));
      expect(error, `attempt ${i + 1}`).toBeInstanceOf(ValidationError);
      expect(error.status).toBe(400);
    }
    const throttled = await failure(changeOwnPassword(me.actor, { current: PASSWORD, next: NEW_PASSWORD }, ip));
    expect(throttled).toBeInstanceOf(DomainError);
    expect(throttled).not.toBeInstanceOf(ValidationError);
    expect(throttled.status).toBe(429);
    // from another address too: the count is the account's
    const elsewhere = await failure(changeOwnPassword(me.actor, { current: PASSWORD, next: NEW_PASSWORD }, nextIp()));
    expect(elsewhere.status).toBe(429);

    const after = await userRow(me.id);
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.sessionVersion).toBe(before.sessionVersion);
    expect(await auditOf("staff.password_change", me.id)).toHaveLength(0);
  });

  it("does not throttle after 4 wrong current passwords: the right one still changes the password", async () => {
    const me = await staffAccount();
    const ip = nextIp();
    for (let i = 0; i < 4; i++) await failure(changeOwnPassword(me.actor, { current: `${WRONG}-${i}`, next: NEW_PASSWORD }, ip));
    await changeOwnPassword(me.actor, { current: PASSWORD, next: NEW_PASSWORD }, ip);
    expect(await authenticateStaff(me.email, NEW_PASSWORD, nextIp())).toMatchObject({ ok: true });
  });
});
