import "server-only";
import { and, eq, gt, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInAttempts } from "@/db/schema";

// Sign-in throttling: after 5 failures for one account or 20 from one address within 15 minutes,
// further attempts are refused until the oldest failure in the window ages out. Kept in the
// database, so every instance sees the same counts. A success clears the account's count.

export const WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

/** Seconds until this email or address may try again; 0 when it may try now. */
export async function signInRetryAfter(db: Db, email: string, ip: string, now = new Date()): Promise<number> {
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
async function failuresSince(db: Db, who: SQL, since: Date, successResets: boolean): Promise<Date[]> {
  const rows = await db
    .select({ createdAt: signInAttempts.createdAt, succeeded: signInAttempts.succeeded })
    .from(signInAttempts)
    .where(and(who, gt(signInAttempts.createdAt, since)))
    .orderBy(signInAttempts.createdAt, signInAttempts.id);
  const lastSuccess = successResets ? rows.findLastIndex((row) => row.succeeded) : -1;
  return rows.slice(lastSuccess + 1).flatMap((row) => (row.succeeded ? [] : [row.createdAt]));
}

export async function recordSignInAttempt(db: Db, email: string, ip: string, succeeded: boolean, now = new Date()): Promise<void> {
  await db.insert(signInAttempts).values({ email, ip, succeeded, createdAt: now });
  // keep the table small: a day is far beyond any window
  await db.delete(signInAttempts).where(and(or(eq(signInAttempts.email, email), eq(signInAttempts.ip, ip)), lt(signInAttempts.createdAt, new Date(now.getTime() - 86_400_000))));
}
