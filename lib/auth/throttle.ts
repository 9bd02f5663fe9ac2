import "server-only";
import { and, eq, gt, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInAttempts } from "@/db/schema";

// Sign-in throttling: after 5 failures for one account or 20 from one address within 15 minutes,
// further attempts are refused until the oldest failure in the window ages out. Kept in the
// database, so every instance sees the same counts. A success clears the account's count.

type Executor = Pick<Db, "select" | "insert" | "delete">;

export const WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

/** Seconds until this email or address may try again; 0 when it may try now. */
export async function signInRetryAfter(db: Executor, email: string, ip: string, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - WINDOW_MS);
  // an account's count restarts at its last success; an address's does not (one good account
  // must not unlock guessing at the others)
  const account = await failuresSince(db, eq(signInAttempts.email, email), since, true);
  const address = await failuresSince(db, eq(signInAttempts.ip, ip), since, false);
  const waits = [
    account.length >= MAX_FAILURES_PER_ACCOUNT ? account[account.length - MAX_FAILURES_PER_ACCOUNT]! : null,
    address.length >= MAX_FAILURES_PER_ADDRESS ? address[address.length - MAX_FAILURES_PER_ADDRESS]! : null,
  ].flatMap((failedAt) => (failedAt ? [failedAt.getTime() + WINDOW_MS - now.getTime()] : []));
  return waits.length === 0 ? 0 : Math.max(1, Math.ceil(Math.max(...waits) / 1000));
}

/** Failure times in the window, oldest first (after the last success, when successes reset). */
async function failuresSince(db: Executor, who: SQL, since: Date, successResets: boolean): Promise<Date[]> {
  const rows = await db
    .select({ createdAt: signInAttempts.createdAt, succeeded: signInAttempts.succeeded })
    .from(signInAttempts)
    .where(and(who, gt(signInAttempts.createdAt, since)))
    .orderBy(signInAttempts.createdAt, signInAttempts.id);
  const lastSuccess = successResets ? rows.findLastIndex((row) => row.succeeded) : -1;
  return rows.slice(lastSuccess + 1).flatMap((row) => (row.succeeded ? [] : [row.createdAt]));
}

export async function recordSignInAttempt(db: Executor, email: string, ip: string, succeeded: boolean, now = new Date()): Promise<number> {
  const [row] = await db.insert(signInAttempts).values({ email, ip, succeeded, createdAt: now }).returning({ id: signInAttempts.id });
  // keep the table small: a day is far beyond any window
  await db.delete(signInAttempts).where(lt(signInAttempts.createdAt, new Date(now.getTime() - 86_400_000)));
  return row!.id;
}

/**
 * Claims one attempt for this email and address, atomically: refused (seconds to wait) when over
 * the limit, else recorded as a failure before the password is even checked, so guesses sent all at
 * once are counted like guesses sent one by one. A success then marks its row (markSignInSucceeded).
 */
export async function claimSignInAttempt(db: Db, email: string, ip: string): Promise<{ retryAfter: number } | { attemptId: number }> {
  return db.transaction(async (tx) => {
    for (const key of [`sign-in:email:${email}`, `sign-in:ip:${ip}`].sort()) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    const retryAfter = await signInRetryAfter(tx, email, ip);
    if (retryAfter > 0) return { retryAfter };
    return { attemptId: await recordSignInAttempt(tx, email, ip, false) };
  });
}

export async function markSignInSucceeded(db: Db, attemptId: number): Promise<void> {
  await db.update(signInAttempts).set({ succeeded: true }).where(eq(signInAttempts.id, attemptId));
}
