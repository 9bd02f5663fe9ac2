import { z } from "zod";

// Empty strings count as unset, so `DATABASE_URL=` in a shell or .env behaves like no variable at all.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const postgresUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
    } catch {
      return false;
    }
  },
  { message: "must be a PostgreSQL URL such as postgres://user:password@127.0.0.1:5432/magazine" },
);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: optional(postgresUrl),
  DATA_DIR: optional(z.string()).default("./data"),
  PGLITE_DIR: optional(z.string()),
  AUTH_SECRET: optional(z.string().min(32, { message: "must be at least 32 characters (try: openssl rand -base64 32)" })),
  // the public origin, for absolute URLs in feeds, sitemaps and metadata
  SITE_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://magazine.example" })),
  // shared by every instance: sign-in throttling counts attempts here instead of in the database
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" })),
  // every key this app writes in Redis starts with it, so two magazines (or test runs) can share one Redis
  REDIS_PREFIX: optional(z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, { error: "must be 1-64 letters, digits or : _ . -" })).default("magazine:"),
  // invitations and password resets are also mailed through this server; unset, the admin passes links on
  SMTP_URL: optional(z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL such as smtp://user:password@mail.internal:587" })),
  MAIL_FROM: optional(z.string().regex(/^[^\r\n]*@[^\r\n]*$/, { error: 'must be an address such as "Top One Magazine <no-reply@magazine.example>"' })).default(
    "Top One Magazine <no-reply@localhost>",
  ),
  PORT: optional(z.coerce.number().int().min(1).max(65535, { message: "must be a port number between 1 and 65535" })),
  // demo content on first start with an empty database; default: on for PGlite, off for PostgreSQL
  SEED_DEMO_CONTENT: optional(z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")),
  // set by `npm start` so the server can report the cold-start time
  MAGAZINE_START_TIME: optional(z.coerce.number().int()),
  // set by Next.js inside its server; absent in scripts and tests
  NEXT_RUNTIME: optional(z.string()),
  // "off": no page or query caching, every request renders and queries afresh (for measuring; see
  // lib/cache/next-cache-handler.cjs and lib/cache/cached.ts). Never in production.
  PAGE_CACHE: optional(z.enum(["on", "off"], { error: 'must be "on" or "off"' })).default("on"),
  // how long a staff sign-in lasts before signing in again (hours; bounded)
  SESSION_MAX_AGE_HOURS: optional(z.coerce.number().int().min(1).max(720, { message: "must be between 1 and 720 hours" })).default(12),
  // behind a reverse proxy that sets X-Forwarded-For: trust its first address as the client's
  TRUST_PROXY: optional(z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")).default(false),
  // the importer may fetch feeds from loopback, private and link-local addresses (tests, a private network)
  IMPORT_ALLOW_PRIVATE_URLS: optional(z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")).default(false),
  // where uploaded media bytes live: local disk under DATA_DIR/media, or the database (no shared disk between instances)
  MEDIA_STORAGE: optional(z.enum(["disk", "database"], { error: 'must be "disk" or "database"' })).default("disk"),
  LOG_LEVEL: optional(z.enum(["debug", "info", "warn", "error"])).default("info"),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses an environment; throws EnvError whose lines name each variable and what is wrong with it. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
}

let cached: Env | undefined;

/** The validated process environment, parsed once. The only reader of process.env. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function isBuildPhase(): boolean {
  return process.env.NEXT_PHASE === "phase-production-build";
}
