import "server-only";
import { eq } from "drizzle-orm";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { logError, logWarn } from "@/lib/log";
import type { Role } from "./permissions";
import { resolveAuthSecret } from "./secret";
import { authenticateStaff, type SignedInStaff, type SignInOutcome } from "./sign-in";

// Auth.js (next-auth v5): email and password through the Credentials provider, JWT sessions in an
// HttpOnly, SameSite=Lax cookie (Secure whenever the site is served over https). The JWT callback
// re-reads the user row on every request, so a suspension, a role change or "sign out everywhere"
// (a bumped session_version) applies at that user's very next request.

/** Why a sign-in was refused; the route handler turns it into a redirect, a 429 or a 503. */
export class SignInRefused extends CredentialsSignin {
  constructor(readonly outcome: Exclude<SignInOutcome, { ok: true }>) {
    super();
    this.code = outcome.reason;
  }
}

// `unverified`: the database could not be asked on this request (an outage); the session is kept,
// but grants nothing until it can be checked again (lib/auth/session.ts answers 503 meanwhile)
type SessionToken = { sub?: string; sv?: number; role?: Role; name?: string | null; email?: string | null; unverified?: boolean };

/** The row behind a session, or null when it may no longer sign in. */
async function loadSessionStaff(id: string | undefined): Promise<SignedInStaff | null> {
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, sessionVersion: users.sessionVersion, isActive: users.isActive, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, id));
  if (!row || !row.isActive || !row.passwordHash) return null;
  return { id: row.id, name: row.name, email: row.email, role: row.role, sessionVersion: row.sessionVersion };
}

function authConfig(): NextAuthConfig {
  return {
    secret: resolveAuthSecret().secret,
    trustHost: true, // redirects use the host the visitor used (127.0.0.1, a proxy's name…)
    session: { strategy: "jwt", maxAge: getEnv().SESSION_MAX_AGE_HOURS * 3600 },
    pages: { signIn: "/editor/sign-in", error: "/editor/sign-in" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(credentials, request) {
          const email = typeof credentials.email === "string" ? credentials.email : "";
          const password = typeof credentials.password === "string" ? credentials.password : "";
          const outcome = await authenticateStaff(email, password, clientIp(request.headers));
          if (!outcome.ok) throw new SignInRefused(outcome);
          return { ...outcome.staff };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        const session = token as SessionToken;
        if (user) {
          session.sub = user.id;
          session.sv = (user as unknown as SignedInStaff).sessionVersion;
        }
        let staff: SignedInStaff | null;
        try {
          staff = await loadSessionStaff(session.sub);
        } catch (error) {
          if (user) throw error;
          logWarn("session not checked: database unavailable", { error: (error as Error).message });
          session.unverified = true;
          return token;
        }
        delete session.unverified;
        if (!staff || staff.sessionVersion !== session.sv) return null; // signed out
        session.role = staff.role;
        session.name = staff.name;
        session.email = staff.email;
        return token;
      },
      session({ session, token }) {
        const { sub, role, name, email, unverified } = token as SessionToken;
        Object.assign(session.user, { id: sub, role, name, email, unverified: unverified === true });
        return session;
      },
    },
    logger: {
      // refused sign-ins are expected and audited (lib/auth/sign-in.ts); they are not server errors
      error(error) {
        if (!(error instanceof CredentialsSignin)) logError("auth", error);
      },
      warn(code) {
        logWarn("auth", { code });
      },
    },
  };
}

export const { auth, signIn, signOut } = NextAuth(() => authConfig());
