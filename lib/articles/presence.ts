import "server-only";
import type { StaffSession } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { ValidationError } from "@/lib/errors";
import { getRedis } from "@/lib/redis";
import { getArticleForEditing } from "./editing";

// Who has an article open in the editor, like post locking: each open editor (a browser tab) sends a
// heartbeat every few seconds; an entry not heard from for PRESENCE_TIMEOUT_MS is gone. "Take over"
// marks every other open editor of the article as taken over: those turn read-only (their words stay
// in their browser and in the revision history; saves still name versions, so nothing is overwritten).
// Kept in this process's memory, or in Redis when REDIS_URL is set so every instance sees every tab.

export const PRESENCE_TIMEOUT_MS = 30_000;

type Entry = { userId: string; name: string; since: number; seenAt: number; takenOverBy: string | null };
type Visit = { articleId: string; tab: string; userId: string; name: string; takeOver: boolean; now: number };

/** Records one tab's heartbeat and answers every tab that has the article open, its own included. */
export interface PresenceStore {
  visit(visit: Visit): Promise<Map<string, Entry>>;
}

export const memoryPresence: PresenceStore = {
  async visit({ articleId, tab, userId, name, takeOver, now }) {
    const store = globalThis as { __magazinePresence?: Map<string, Map<string, Entry>> };
    const articlesOpen = (store.__magazinePresence ??= new Map());
    const tabs = articlesOpen.get(articleId) ?? new Map<string, Entry>();
    articlesOpen.set(articleId, tabs);
    for (const [key, entry] of tabs) if (now - entry.seenAt > PRESENCE_TIMEOUT_MS) tabs.delete(key);
    const mine = tabs.get(tab) ?? { userId, name, since: now, seenAt: now, takenOverBy: null };
    mine.seenAt = now;
    if (takeOver) {
      mine.takenOverBy = null;
      for (const [key, entry] of tabs) if (key !== tab) entry.takenOverBy = name;
    }
    tabs.set(tab, mine);
    return new Map(tabs);
  },
};

// KEYS: the article's hash (tab -> entry JSON). ARGV: now, timeout, tab, user id, name, take over (1/0).
// The same steps as the memory store, run by Redis alone so heartbeats from every instance interleave safely.
const VISIT = `
local now, timeout, tab = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local all = redis.call('HGETALL', KEYS[1])
local entries = {}
for i = 1, #all, 2 do
  local entry = cjson.decode(all[i + 1])
  if now - entry.seenAt > timeout then redis.call('HDEL', KEYS[1], all[i]) else entries[all[i]] = entry end
end
local mine = entries[tab] or { userId = ARGV[4], name = ARGV[5], since = now, takenOverBy = '' }
mine.seenAt = now
if ARGV[6] == '1' then
  mine.takenOverBy = ''
  for key, entry in pairs(entries) do
    if key ~= tab then
      entry.takenOverBy = ARGV[5]
      redis.call('HSET', KEYS[1], key, cjson.encode(entry))
    end
  end
end
entries[tab] = mine
redis.call('HSET', KEYS[1], tab, cjson.encode(mine))
redis.call('PEXPIRE', KEYS[1], timeout * 2)
local out = {}
for key, entry in pairs(entries) do
  out[#out + 1] = key
  out[#out + 1] = cjson.encode(entry)
end
return out
`;

export function redisPresence(redis = getRedis(), prefix = getEnv().REDIS_PREFIX): PresenceStore {
  return {
    async visit({ articleId, tab, userId, name, takeOver, now }) {
      const flat = (await redis.eval(VISIT, 1, `${prefix}presence:${articleId}`, now, PRESENCE_TIMEOUT_MS, tab, userId, name, takeOver ? 1 : 0)) as string[];
      const tabs = new Map<string, Entry>();
      for (let i = 0; i < flat.length; i += 2) {
        const entry = JSON.parse(flat[i + 1]!) as Entry;
        tabs.set(flat[i]!, { ...entry, takenOverBy: entry.takenOverBy || null });
      }
      return tabs;
    },
  };
}

let chosen: PresenceStore | undefined;

function presenceStore(): PresenceStore {
  chosen ??= getEnv().REDIS_URL ? redisPresence() : memoryPresence;
  return chosen;
}

/** Tests choose the store. */
export function usePresenceStore(store: PresenceStore | undefined): void {
  chosen = store;
}

export type Presence = { others: { name: string; since: string }[]; takenOverBy: string | null };

/** Records this tab's heartbeat (and a take-over, when asked); answers who else has the article open. */
export async function heartbeat(staff: StaffSession, articleId: string, tab: string, takeOver = false, now = Date.now()): Promise<Presence> {
  await getArticleForEditing(staff.actor, articleId);
  if (!/^[A-Za-z0-9-]{8,64}$/.test(tab)) throw new ValidationError("The editor did not say which tab it is.");
  const tabs = await presenceStore().visit({ articleId, tab, userId: staff.id, name: staff.name, takeOver, now });
  // one line per person, however many tabs they have open
  const others = new Map<string, { name: string; since: string }>();
  for (const [key, entry] of tabs) {
    if (key === tab || entry.takenOverBy || others.has(entry.userId)) continue;
    others.set(entry.userId, { name: entry.name, since: new Date(entry.since).toISOString() });
  }
  return { others: [...others.values()], takenOverBy: tabs.get(tab)?.takenOverBy ?? null };
}
