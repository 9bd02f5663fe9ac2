import { SignInRefused, signIn } from "@/lib/auth/auth";
import { safeNextPath } from "@/lib/auth/session";
import { plainError, readFormOrRefuse, seeOther } from "@/lib/http/forms";
import { logError } from "@/lib/log";

// The sign-in form posts here (a route handler, not a server action, so it can answer 429).
export async function POST(request: Request) {
  const form = await readFormOrRefuse(request);
  if (form instanceof Response) return form;
  const next = safeNextPath(form.next);
  try {
    await signIn("credentials", { email: form.email ?? "", password: form.password ?? "", redirect: false });
  } catch (error) {
    if (error instanceof SignInRefused) {
      if (error.outcome.reason === "throttled") {
        const minutes = Math.ceil(error.outcome.retryAfter / 60);
        return plainError(429, `Too many failed sign-ins. Wait ${minutes} minute${minutes === 1 ? "" : "s"}, then try again, or ask an admin to reset your password.`, {
          "Retry-After": String(error.outcome.retryAfter),
        });
      }
      // fail closed: when attempts cannot be counted (Redis down), no password is checked
      if (error.outcome.reason === "unavailable") {
        return plainError(503, "Signing in is unavailable just now: sign-in attempts cannot be counted, so no password is checked. Try again in a minute.", { "Retry-After": "60" });
      }
      return seeOther(`/editor/sign-in?error=invalid&next=${encodeURIComponent(next)}`);
    }
    logError("sign-in failed", error);
    return plainError(503, "Signing in is unavailable just now. Try again in a minute.");
  }
  return seeOther(next);
}
