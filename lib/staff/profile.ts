import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { articleAuthors, auditLog, media, users } from "@/db/schema";
import { publicTagsForArticles } from "@/lib/articles/touched";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { passwordProblem } from "@/lib/auth/password-rules";
import type { Actor } from "@/lib/auth/permissions";
import { signInThrottle } from "@/lib/auth/throttle";
import { invalidateTags, noticeInTransaction } from "@/lib/cache/invalidate";
import { tags } from "@/lib/cache/tags";
import { DomainError, ForbiddenError, ValidationError } from "@/lib/errors";
import { mediaPath } from "@/lib/media/urls";
import { withoutControlCharacters } from "@/lib/text";

// Each staff member's own profile (shown publicly on their author page and in bylines) and password.

const profileSchema = z.object({
  name: z.string().overwrite(withoutControlCharacters).trim().min(1, { error: "a name is required" }).max(120, { error: "use at most 120 characters" }),
  bio: z.string().overwrite(withoutControlCharacters).trim().max(2000, { error: "use at most 2,000 characters" }).transform((bio) => bio || null),
});

function staffId(actor: Actor): string {
  if (actor.kind !== "staff") throw new ForbiddenError("edit a profile without signing in");
  return actor.id;
}

export async function getOwnProfile(actor: Actor): Promise<{ name: string; bio: string | null; email: string; slug: string; photo: string | null }> {
  const db = await getDb();
  const [row] = await db
    .select({ name: users.name, bio: users.bio, email: users.email, slug: users.slug, photoKey: media.storageKey })
    .from(users)
    .leftJoin(media, eq(media.id, users.photoMediaId))
    .where(eq(users.id, staffId(actor)));
  if (!row) throw new ForbiddenError("edit this profile");
  const { photoKey, ...profile } = row;
  return { ...profile, photo: photoKey ? mediaPath(photoKey) : null };
}

/** Sets (or with null, removes) one's own photo, an image from the media library, and expires the pages showing it. */
export async function setOwnPhoto(actor: Actor, mediaId: string | null): Promise<void> {
  const id = staffId(actor);
  if (mediaId !== null && !z.uuid().safeParse(mediaId).success) throw new ValidationError("That image is no longer in the media library.");
  const db = await getDb();
  const slug = await db.transaction(async (tx) => {
    if (mediaId) {
      const [image] = await tx.select({ id: media.id }).from(media).where(eq(media.id, mediaId)).for("share");
      if (!image) throw new ValidationError("That image is no longer in the media library.");
    }
    const [row] = await tx.update(users).set({ photoMediaId: mediaId, updatedAt: new Date() }).where(eq(users.id, id)).returning({ slug: users.slug });
    if (!row) throw new ForbiddenError("edit this profile");
    await tx.insert(auditLog).values({ actorId: id, action: mediaId ? "staff.photo_set" : "staff.photo_remove", entityType: "user", entityId: id, details: { mediaId } });
    await noticeInTransaction(tx, [tags.author(row.slug)]);
    return row.slug;
  });
  await invalidateTags([tags.author(slug)], { noticed: true });
}

/** Saves name and bio (plain text, rendered as text), and expires every page that shows them. */
export async function updateOwnProfile(actor: Actor, input: { name?: string; bio?: string }): Promise<void> {
  const id = staffId(actor);
  const parsed = profileSchema.safeParse({ name: input.name ?? "", bio: input.bio ?? "" });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`${String(issue.path[0])}: ${issue.message}`);
  }
  const db = await getDb();
  // the change and its audit row land together or not at all
  const touched = await db.transaction(async (tx) => {
    const [updated] = await tx.update(users).set({ ...parsed.data, updatedAt: new Date() }).where(eq(users.id, id)).returning({ slug: users.slug });
    if (!updated) throw new ForbiddenError("edit this profile");
    await tx.insert(auditLog).values({ actorId: id, action: "staff.profile_update", entityType: "user", entityId: id });
    const written = await tx.select({ id: articleAuthors.articleId }).from(articleAuthors).where(eq(articleAuthors.userId, id));
    const touched = [tags.author(updated.slug), ...(await publicTagsForArticles(tx, written.map((w) => w.id)))];
    await noticeInTransaction(tx, touched);
    return touched;
  });
  await invalidateTags(touched, { noticed: true });
}

/**
 * Changes one's own password; the current one is required, and guessing it is throttled like
 * sign-in. Every session ends (sign in again with the new password).
 */
export async function changeOwnPassword(actor: Actor, input: { current: string; next: string }, ip: string): Promise<void> {
  const id = staffId(actor);
  const db = await getDb();
  const [user] = await db.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, id));
  if (!user?.passwordHash) throw new ForbiddenError("change this password");
  const claim = await (await signInThrottle()).claim(user.email.toLowerCase(), ip);
  if ("retryAfter" in claim) throw new DomainError(`Too many wrong passwords. Wait ${Math.ceil(claim.retryAfter / 60)} minutes, then try again.`, 429);
  if (!(await verifyPassword(user.passwordHash, input.current.slice(0, 1024)))) throw new ValidationError("current password: that is not your current password");
  await claim.markSucceeded();
  const problem = passwordProblem(input.next, { email: user.email });
  if (problem) throw new ValidationError(`new password: ${problem}`);
  const passwordHash = await hashPassword(input.next);
  // never a changed password without its audit row, nor a "could not be saved" after the change
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() }).where(eq(users.id, id));
    await tx.insert(auditLog).values({ actorId: id, action: "staff.password_change", entityType: "user", entityId: id });
  });
}
