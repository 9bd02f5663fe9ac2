import { eq, or } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { signInAttempts } from "@/db/schema";
import { recordSignInAttempt, signInRetryAfter } from "@/lib/auth/throttle";

// Every test passes explicit times, so the windows are exact, and uses its own emails and addresses,
// so the attempts of one test never count against another (the file shares one database).

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const T0 = new Date("2031-03-04T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

let sequence = 0;
function fresh(label: string) {
  sequence += 1;
  return { email: `${label}-${sequence}@example.test`, ip: `192.0.2.${sequence}` };
}

async function fail(email: string, ip: string, when: Date) {
  await recordSignInAttempt(await getDb(), email, ip, false, when);
}
async function succeed(email: string, ip: string, when: Date) {
  await recordSignInAttempt(await getDb(), email, ip, true, when);
}
async function retryAfter(email: string, ip: string, when: Date) {
  return signInRetryAfter(await getDb(), email, ip, when);
}

describe("per-account limit: 5 failures in 15 minutes", () => {
  it("lets an account with 4 recent failures try again", async () => {
    const { email, ip } = fresh("four");
    for (let i = 0; i < 4; i++) await fail(email, ip, at(i * MINUTE));
    expect(await retryAfter(email, ip, at(4 * MINUTE))).toBe(0);
  });

  it("refuses the account after the 5th failure for the seconds until the oldest failure is 15 minutes old", async () => {
    const { email, ip } = fresh("five");
    for (let i = 0; i < 5; i++) await fail(email, ip, at(i * MINUTE));
    // oldest failure at T0 ages out at T0 + 15 min; asked at T0 + 5 min
    expect(await retryAfter(email, ip, at(5 * MINUTE))).toBe(10 * 60);
    expect(await retryAfter(email, ip, at(12 * MINUTE + 30 * SECOND))).toBe(150);
    // rounds up, never below one second while still refused
    expect(await retryAfter(email, ip, at(15 * MINUTE - 1))).toBe(1);
    // once the oldest is 15 minutes old only 4 count
    expect(await retryAfter(email, ip, at(15 * MINUTE))).toBe(0);
  });

  it("counts an account's failures from every address, and refuses it from a new address too", async () => {
    const { email } = fresh("roaming");
    for (let i = 0; i < 5; i++) await fail(email, `203.0.113.${100 + i}`, at(i * MINUTE));
    expect(await retryAfter(email, "203.0.113.200", at(5 * MINUTE))).toBe(10 * 60);
  });

  it("with more than 5 failures, waits for the 5th most recent one to age out, not the oldest", async () => {
    const { email, ip } = fresh("six");
    for (let i = 0; i <= 5; i++) await fail(email, ip, at(i * MINUTE)); // failures at 0..5 min
    // the failure at 1 min is the oldest of the last five: free at 16 min
    expect(await retryAfter(email, ip, at(6 * MINUTE))).toBe(10 * 60);
    // the very oldest (0 min) has aged out, yet five failures remain in the window
    expect(await retryAfter(email, ip, at(15 * MINUTE + 30 * SECOND))).toBe(30);
    expect(await retryAfter(email, ip, at(16 * MINUTE))).toBe(0);
  });

  it("does not count failures older than 15 minutes", async () => {
    const { email, ip } = fresh("old");
    for (let i = 0; i < 5; i++) await fail(email, ip, at(-20 * MINUTE + i * MINUTE)); // 20..16 min before T0
    for (let i = 0; i < 4; i++) await fail(email, ip, at(i * MINUTE));
    expect(await retryAfter(email, ip, at(4 * MINUTE))).toBe(0);
    // the fifth recent failure is what throttles
    await fail(email, ip, at(4 * MINUTE));
    expect(await retryAfter(email, ip, at(5 * MINUTE))).toBe(10 * 60);
  });

  it("does not count other accounts' failures against an account on another address", async () => {
    const mine = fresh("mine");
    for (let i = 0; i < 10; i++) await fail(`other-${sequence}-${i}@example.test`, `198.18.0.${i}`, at(i * SECOND));
    expect(await retryAfter(mine.email, mine.ip, at(MINUTE))).toBe(0);
  });

  it("restarts the account's count after a success", async () => {
    const { email, ip } = fresh("reset");
    for (let i = 0; i < 4; i++) await fail(email, ip, at(i * MINUTE)); // 0..3 min
    await succeed(email, ip, at(4 * MINUTE));
    for (let i = 5; i < 9; i++) await fail(email, ip, at(i * MINUTE)); // 5..8 min: 8 failures in the window, 4 since the success
    expect(await retryAfter(email, ip, at(9 * MINUTE))).toBe(0);
    await fail(email, ip, at(9 * MINUTE)); // the 5th since the success
    // counted from the first failure after the success (5 min), not from the one at 0 min
    expect(await retryAfter(email, ip, at(10 * MINUTE))).toBe(10 * 60);
  });
});

describe("per-address limit: 20 failures in 15 minutes", () => {
  it("refuses an address after 20 failures across different accounts, for any account it tries next", async () => {
    const { ip } = fresh("spray");
    const accounts = Array.from({ length: 20 }, (_, i) => `spray-${sequence}-${i}@example.test`);
    for (let i = 0; i < 19; i++) await fail(accounts[i]!, ip, at(i * 10 * SECOND)); // 0..180 s
    expect(await retryAfter("untouched@example.test", ip, at(4 * MINUTE))).toBe(0);
    await fail(accounts[19]!, ip, at(190 * SECOND));
    // oldest failure at T0 ages out at 15 min; asked at 4 min
    expect(await retryAfter("untouched@example.test", ip, at(4 * MINUTE))).toBe(11 * 60);
    // no single account reached its own limit: the same accounts from another address may try
    expect(await retryAfter(accounts[0]!, "198.51.100.250", at(4 * MINUTE))).toBe(0);
  });

  it("does not restart the address's count after a success there", async () => {
    const { ip } = fresh("address-reset");
    const good = `good-${sequence}@example.test`;
    for (let i = 0; i < 19; i++) await fail(`guess-${sequence}-${i}@example.test`, ip, at(i * SECOND));
    await succeed(good, ip, at(30 * SECOND));
    await fail(`guess-${sequence}-19@example.test`, ip, at(40 * SECOND));
    // 20 failures from the address in the window, one success among them: still refused
    expect(await retryAfter("someone-else@example.test", ip, at(MINUTE))).toBe(14 * 60);
    // including the account that just succeeded, on that address
    expect(await retryAfter(good, ip, at(MINUTE))).toBe(14 * 60);
    // while that account is free from elsewhere (its own count restarted at the success)
    expect(await retryAfter(good, "198.51.100.251", at(MINUTE))).toBe(0);
  });

  it("does not count an address's failures older than 15 minutes", async () => {
    const { ip } = fresh("address-old");
    for (let i = 0; i < 20; i++) await fail(`old-${sequence}-${i}@example.test`, ip, at(-30 * MINUTE + i * 30 * SECOND)); // 30..20.5 min before
    for (let i = 0; i < 19; i++) await fail(`new-${sequence}-${i}@example.test`, ip, at(i * SECOND));
    expect(await retryAfter("anyone@example.test", ip, at(MINUTE))).toBe(0);
  });
});

describe("retention", () => {
  it("deletes this account's and this address's attempts older than a day when a new one is recorded, keeping newer ones", async () => {
    const { email, ip } = fresh("retention");
    const db = await getDb();
    const now = at(0);
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const inserted = await db
      .insert(signInAttempts)
      .values([
        { email, ip: "203.0.113.77", succeeded: false, createdAt: ago(25 * HOUR) }, // same account, other address, stale
        { email: "elsewhere@example.test", ip, succeeded: true, createdAt: ago(24 * HOUR + MINUTE) }, // same address, stale
        { email, ip, succeeded: false, createdAt: ago(23 * HOUR) }, // same pair, less than a day old
        { email, ip: "203.0.113.78", succeeded: false, createdAt: ago(2 * HOUR) },
      ])
      .returning({ id: signInAttempts.id });
    const [staleByEmail, staleByIp, recent, recentOtherIp] = inserted.map((row) => row.id);

    await fail(email, ip, now);

    const left = await db
      .select({ id: signInAttempts.id, createdAt: signInAttempts.createdAt })
      .from(signInAttempts)
      .where(or(eq(signInAttempts.email, email), eq(signInAttempts.ip, ip)))
      .orderBy(signInAttempts.id);
    const ids = left.map((row) => row.id);
    expect(ids).not.toContain(staleByEmail);
    expect(ids).not.toContain(staleByIp);
    expect(ids).toEqual(expect.arrayContaining([recent, recentOtherIp]));
    expect(left).toHaveLength(3); // the two recent ones and the attempt just recorded
    expect(left.at(-1)!.createdAt.getTime()).toBe(now.getTime());
  });
});
