import "server-only";
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { articles, auditLog, media, sections, tags, users } from "@/db/schema";
import { can, type Actor } from "@/lib/auth/permissions";
import { ForbiddenError, ValidationError } from "@/lib/errors";

// The audit log as admins read it: newest first, 50 a page, filtered by what was touched and by
// who did it, each row told in plain words. Rows store ids and a little detail; names come from
// the live rows where they still exist, else from what the row recorded.

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_ENTITY_TYPES = ["article", "user", "media", "settings", "section", "tag"] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];
/** The actor filter's value for rows nobody signed in made: the scheduler, an operator's command, a visitor. */
export const NO_STAFF_ACTOR = "system";

export type AuditFilter = { entityType?: string; actor?: string; page?: number };

export type AuditEntry = {
  id: number;
  at: Date;
  who: string;
  actorId: string | null;
  action: string;
  /** The action in plain words, with the detail that matters (from, to, how many). */
  what: string;
  /** What it touched, and where to open it on the staff side when there is such a page. */
  target: { label: string; href: string | null };
  ip: string | null;
};

const filterSchema = z.object({
  entityType: z.enum(AUDIT_ENTITY_TYPES, { error: "choose one of: article, user, media, settings, section, tag" }).optional(),
  actor: z.union([z.literal(NO_STAFF_ACTOR), z.uuid({ error: "choose a person from the list" })]).optional(),
  page: z.number().int().min(1).max(10_000).default(1),
});

/** A page of the log for admins (audit:read); refuses an unknown entity type or actor with 400. */
export async function listAuditLog(actor: Actor, filter: AuditFilter = {}): Promise<{ items: AuditEntry[]; total: number; totalPages: number; page: number }> {
  if (!can(actor, "audit:read")) throw new ForbiddenError("read the audit log");
  const parsed = filterSchema.safeParse({ entityType: filter.entityType || undefined, actor: filter.actor || undefined, page: filter.page });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`${String(issue.path[0])}: ${issue.message}`);
  }
  const { entityType, actor: who, page } = parsed.data;
  const conditions: SQL[] = [];
  if (entityType) conditions.push(eq(auditLog.entityType, entityType));
  if (who === NO_STAFF_ACTOR) conditions.push(isNull(auditLog.actorId));
  else if (who) conditions.push(eq(auditLog.actorId, who));
  const where = conditions.length > 0 ? and(...conditions) : undefined;

  const db = await getDb();
  const [total] = await db.select({ n: count() }).from(auditLog).where(where);
  const rows = await db
    .select({ row: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(where)
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
  const names = await liveNames(rows.map(({ row }) => row));
  const items = rows.map(({ row, actorName }) => ({
    id: row.id,
    at: row.createdAt,
    who: whoDid(row, actorName),
    actorId: row.actorId,
    action: row.action,
    what: describeAction(row.action, row.details),
    target: describeTarget(row, names),
    ip: row.ip,
  }));
  const n = total?.n ?? 0;
  return { items, total: n, totalPages: Math.max(1, Math.ceil(n / AUDIT_PAGE_SIZE)), page };
}

/** The people the actor filter offers: every staff account (with a sign-in), by name. */
export async function auditActorChoices(actor: Actor): Promise<{ id: string; name: string }[]> {
  if (!can(actor, "audit:read")) throw new ForbiddenError("read the audit log");
  const db = await getDb();
  return db.select({ id: users.id, name: users.name }).from(users).where(isNotNull(users.passwordHash)).orderBy(asc(users.name));
}

type Row = typeof auditLog.$inferSelect;
type Names = Record<"article" | "user" | "media" | "section" | "tag", Map<string, string>>;

const uuid = z.uuid();

/** The current title or name of every article, person, image, section and tag the rows touch: five queries, not fifty. */
async function liveNames(rows: Row[]): Promise<Names> {
  const db = await getDb();
  const ids = (type: string) => [...new Set(rows.filter((r) => r.entityType === type && r.entityId && uuid.safeParse(r.entityId).success).map((r) => r.entityId!))];
  const lookup = async (type: string, query: (list: string[]) => Promise<{ id: string; label: string | null }[]>) => {
    const list = ids(type);
    const found = list.length > 0 ? await query(list) : [];
    return new Map(found.filter((f) => f.label).map((f) => [f.id, f.label!]));
  };
  const [article, user, image, section, tag] = await Promise.all([
    lookup("article", (list) => db.select({ id: articles.id, label: articles.title }).from(articles).where(inArray(articles.id, list))),
    lookup("user", (list) => db.select({ id: users.id, label: users.name }).from(users).where(inArray(users.id, list))),
    lookup("media", (list) => db.select({ id: media.id, label: media.filename }).from(media).where(inArray(media.id, list))),
    lookup("section", (list) => db.select({ id: sections.id, label: sections.name }).from(sections).where(inArray(sections.id, list))),
    lookup("tag", (list) => db.select({ id: tags.id, label: tags.name }).from(tags).where(inArray(tags.id, list))),
  ]);
  return { article, user, media: image, section, tag };
}

const text = (details: Record<string, unknown>, key: string): string | undefined => {
  const value = details[key];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
};

const quoted = (value: string | undefined) => (value === undefined ? "" : `“${value}”`);

function whoDid(row: Row, actorName: string | null): string {
  // a failed or throttled sign-in names the account tried, not who tried it
  if (row.action === "staff.sign_in_failed" || row.action === "staff.sign_in_throttled") return "a visitor";
  if (actorName !== null) return actorName;
  if (row.actorId) return "a deleted account";
  return row.details.via === "operator" ? "operator" : "system";
}

function describeTarget(row: Row, names: Names): { label: string; href: string | null } {
  const id = row.entityId;
  const details = row.details;
  switch (row.entityType) {
    case "article": {
      const title = id ? names.article.get(id) : undefined;
      if (id && title !== undefined) return { label: title || "Untitled article", href: `/editor/articles/${id}` };
      return { label: text(details, "title") ?? text(details, "slug") ?? "a deleted article", href: null };
    }
    case "user":
      return { label: (id && names.user.get(id)) || text(details, "email") || "an unknown account", href: null };
    case "media":
      return { label: (id && names.media.get(id)) || text(details, "filename") || "an image", href: null };
    case "section":
    case "tag": {
      const live = id ? names[row.entityType].get(id) : undefined;
      return { label: live ?? text(details, "name") ?? `a deleted ${row.entityType}`, href: null };
    }
    case "settings":
      return { label: id === "logoMediaId" ? "the site logo" : id === "socialImageMediaId" ? "the default social image" : "the site settings", href: null };
    case "database":
      return { label: "the whole database", href: null };
    default:
      return { label: [row.entityType, id].filter(Boolean).join(" "), href: null };
  }
}

const ARTICLE_STEPS: Record<string, string> = {
  create: "created the article",
  create_published: "created and published the article",
  save: "saved the article",
  submit: "submitted the article for review",
  publish: "published the article",
  schedule: "scheduled the article",
  unpublish: "unpublished the article",
  archive: "archived the article",
  correct: "added a correction to the article",
  publish_scheduled: "published the scheduled article",
  preview_link: "made a preview link for the article",
};

const FIXED: Record<string, string> = {
  "media.upload": "uploaded the image",
  "media.update": "edited the details of the image",
  "media.delete": "deleted the image",
  "settings.update": "changed the site settings",
  "settings.image_set": "set",
  "settings.image_remove": "removed",
  "staff.create": "created the staff account",
  "staff.invite_accepted": "accepted an invitation and joined",
  "staff.suspend": "suspended the account",
  "staff.reactivate": "reactivated the account",
  "staff.sign_out_everywhere": "ended every session of",
  "staff.force_password_reset": "forced a password reset for",
  "staff.password_reset": "set a new password through a reset link",
  "staff.sign_in": "signed in",
  "staff.sign_in_failed": "failed to sign in as",
  "staff.sign_in_throttled": "was refused for too many sign-in attempts as",
  "staff.photo_set": "changed the profile photo of",
  "staff.photo_remove": "removed the profile photo of",
  "staff.profile_update": "edited the profile of",
  "staff.password_change": "changed the password of",
  "section.create": "created the section",
  "section.delete": "deleted the section",
  "tag.create": "created the tag",
  "database.reseed": "deleted all content and reseeded the demo magazine",
};

/** The action in plain words; an action this list does not know reads as its own name. */
export function describeAction(action: string, details: Record<string, unknown>): string {
  const [kind, step = ""] = action.split(".", 2) as [string, string | undefined];
  if (kind === "article" && ARTICLE_STEPS[step]) {
    const at = step === "schedule" ? text(details, "at") : undefined;
    const version = step === "save" ? text(details, "version") : undefined;
    return `${ARTICLE_STEPS[step]}${at ? ` for ${at.replace("T", " ").slice(0, 16)} UTC` : ""}${version ? ` (version ${version})` : ""}`;
  }
  switch (action) {
    case "staff.invite":
      return `invited ${text(details, "email") ?? "someone"} as ${text(details, "role") ?? "staff"}`;
    case "staff.role_change":
      return `changed the role from ${text(details, "from") ?? "?"} to ${text(details, "to") ?? "?"} of`;
    case "section.update":
    case "tag.update":
      return `changed the ${kind}${changeList(details)}`;
    case "section.move":
      return `moved the section ${details.direction === "up" ? "up" : "down"}, from place ${text(details, "from") ?? "?"} to ${text(details, "to") ?? "?"}`;
    case "tag.delete": {
      const n = Number(details.articles ?? 0);
      return `deleted the tag${n > 0 ? `, taking it off ${n} ${n === 1 ? "article" : "articles"}` : ""}`;
    }
    case "tag.merge": {
      const into = (details.into ?? {}) as Record<string, unknown>;
      const n = Number(details.articles ?? 0);
      return `merged the tag into ${quoted(text(into, "name") ?? text(into, "slug"))}, moving ${n} ${n === 1 ? "article" : "articles"}`;
    }
  }
  return FIXED[action] ?? action.replace(/[._]/g, " ");
}

function changeList(details: Record<string, unknown>): string {
  const changes = (details.changes ?? {}) as Record<string, unknown>;
  const fromTo = (key: string, label: string, show: (v: string | undefined) => string) => {
    const change = changes[key] as Record<string, unknown> | undefined;
    return change ? `${label} ${show(text(change, "from"))} → ${show(text(change, "to"))}` : null;
  };
  const parts = [fromTo("name", "name", quoted), fromTo("slug", "address", (v) => v ?? "?"), changes.description ? "description" : null].filter(Boolean);
  return parts.length > 0 ? `: ${parts.join(", ")}` : "";
}
