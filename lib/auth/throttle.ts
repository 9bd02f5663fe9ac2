import "server-only";
import { and, eq, gt, lt, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { signInAttempts } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { DomainError } from "@/lib/errors";

// Sign-in throttling: after 5 failures for one account or 20 from one address within 15 minutes,
// further attempts are refused until the oldest failure in the window ages out. Kept where every
// instance sees the same counts: the database, or Redis when REDIS_URL is set (./throttle-redis.ts).
// A success clears the account's count, not the address's.

type Executor = Pick<Db, "select" | "insert" | "delete">;

export const WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

/**
 * A claimed attempt, counted as a failure until its password is found right; or a refusal with the
 * seconds to wait. Claims are atomic, so guesses sent all at once are counted like guesses sent one
 * by one.
 */
export type SignInClaim = { retryAfter: number } | { markSucceeded: () => Promise<void> };

/** Where attempts are counted. Callers neither know nor care which. */
export interface SignInThrottle {
  claim(email: string, ip: string, now?: Date): Promise<SignInClaim>;
}

/** The store cannot be reached: no password is checked (fail closed). 503, with a message for the person. */
export class ThrottleUnavailable extends DomainError {
  constructor(cause: unknown) {
    super("Sign-in attempts cannot be counted just now, so no password is being checked. Try again in a minute.", 503);
    this.cause = cause;
  }
}

/**
 * Seconds until this email or address may try again, from each one's failures in the window (ms,
 * oldest first): until the failure that keeps it at its limit is WINDOW_MS old, rounded up, at least
 * one second. Both stores answer with this.
 */
export function retryAfterSeconds(account: number[], address: number[], now: number): number {
  const limiting = [account.at(-MAX_FAILURES_PER_ACCOUNT), address.at(-MAX_FAILURES_PER_ADDRESS)].filter((at) => at !== undefined);
  if (limiting.length === 0) return 0;
  return Math.max(1, Math.ceil((Math.max(...limiting) + WINDOW_MS - now) / 1000));
}

/** Seconds until this email or address may try again; 0 when it may try now. */
export async function signInRetryAfter(db: Executor, email: string, ip: string, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - WINDOW_MS);
  // an account's count restarts at its last success; an address's does not (one good account
  // must not unlock guessing at the others)
  const account = await failuresSince(db, eq(signInAttempts.email, email), since, true);
  const address = await failuresSince(db, eq(signInAttempts.ip, ip), since, false);
  return retryAfterSeconds(
    account.map((at) => at.getTime()),
    address.map((at) => at.getTime()),
    now.getTime(),
  );
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
 * The database store: a claim takes advisory locks on the email and the address, checks, and records
 * the attempt as a failure in one transaction; a success marks its row.
 */
export const databaseThrottle: SignInThrottle = {
  async claim(email, ip, now = new Date()) {
    const db = await getDb();
    const claimed = await db.transaction(async (tx): Promise<{ retryAfter: number } | { attemptId: number }> => {
      for (const key of [`sign-in:email:${email}`, `sign-in:ip:${ip}`].sort()) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
      const retryAfter = await signInRetryAfter(tx, email, ip, now);
      if (retryAfter > 0) return { retryAfter };
      return { attemptId: await recordSignInAttempt(tx, email, ip, false, now) };
    });
    if ("retryAfter" in claimed) return claimed;
    return {
      markSucceeded: async () => {
        await db.update(signInAttempts).set({ succeeded: true }).where(eq(signInAttempts.id, claimed.attemptId));
      },
    };
  },
};

let chosen: Promise<SignInThrottle> | undefined;

/** Redis when REDIS_URL is set (its client is loaded only then), else the database. */
export function signInThrottle(): Promise<SignInThrottle> {
  chosen ??= getEnv().REDIS_URL ? import("./throttle-redis").then((redis) => redis.sharedRedisThrottle()) : Promise.resolve(databaseThrottle);
  return chosen;
}

/** Tests count attempts in a store of their own (a Redis under a key prefix of their own). */
export function useSignInThrottle(throttle: SignInThrottle | undefined): void {
  chosen = throttle ? Promise.resolve(throttle) : undefined;
}
