import "server-only";
import type { StaffSession } from "@/lib/auth/session";
import { ValidationError } from "@/lib/errors";
import { getArticleForEditing } from "./editing";

// Who has an article open in the editor, like post locking: each open editor (a browser tab) sends a
// heartbeat every few seconds; an entry not heard from for PRESENCE_TIMEOUT_MS is gone. "Take over"
// marks every other open editor of the article as taken over: those turn read-only (their words stay
// in their browser and in the revision history; saves still name versions, so nothing is overwritten).
// Kept in this process's memory: one instance (the several-instance setup shares it through Redis).

export const PRESENCE_TIMEOUT_MS = 30_000;

type Entry = { userId: string; name: string; since: number; seenAt: number; takenOverBy: string | null };
const store = globalThis as { __magazinePresence?: Map<string, Map<string, Entry>> };
const articlesOpen = (store.__magazinePresence ??= new Map());

export type Presence = { others: { name: string; since: string }[]; takenOverBy: string | null };

/** Records this tab's heartbeat (and a take-over, when asked); answers who else has the article open. */
export async function heartbeat(staff: StaffSession, articleId: string, tab: string, takeOver = false, now = Date.now()): Promise<Presence> {
  await getArticleForEditing(staff.actor, articleId);
  if (!/^[A-Za-z0-9-]{8,64}$/.test(tab)) throw new ValidationError("The editor did not say which tab it is.");
  const tabs = articlesOpen.get(articleId) ?? new Map<string, Entry>();
  articlesOpen.set(articleId, tabs);
  for (const [key, entry] of tabs) if (now - entry.seenAt > PRESENCE_TIMEOUT_MS) tabs.delete(key);
  const mine = tabs.get(tab) ?? { userId: staff.id, name: staff.name, since: now, seenAt: now, takenOverBy: null };
  mine.seenAt = now;
  if (takeOver) {
    mine.takenOverBy = null;
    for (const [key, entry] of tabs) if (key !== tab) entry.takenOverBy = staff.name;
  }
  tabs.set(tab, mine);
  // one line per person, however many tabs they have open
  const others = new Map<string, { name: string; since: string }>();
  for (const [key, entry] of tabs) {
    if (key === tab || entry.takenOverBy || others.has(entry.userId)) continue;
    others.set(entry.userId, { name: entry.name, since: new Date(entry.since).toISOString() });
  }
  return { others: [...others.values()], takenOverBy: mine.takenOverBy };
}
