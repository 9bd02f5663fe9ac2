import { createFirstAdmin } from "@/lib/auth/setup";
import { DomainError } from "@/lib/errors";
import { plainError, readFormOrRefuse, seeOther } from "@/lib/http/forms";
import { logError } from "@/lib/log";

// First run: creates the admin account while none exists (lib/auth/setup.ts refuses afterwards).
export async function POST(request: Request) {
  const form = await readFormOrRefuse(request);
  if (form instanceof Response) return form;
  try {
    await createFirstAdmin({ email: form.email ?? "", name: form.name ?? "", password: form.password ?? "" });
  } catch (error) {
    if (error instanceof DomainError && error.status === 409) return seeOther("/editor/sign-in?setup=done");
    if (error instanceof DomainError) {
      const params = new URLSearchParams({ error: error.message, email: (form.email ?? "").slice(0, 254), name: (form.name ?? "").slice(0, 120) });
      return seeOther(`/editor/setup?${params}`);
    }
    logError("first-run setup failed", error);
    return plainError(503, "The account could not be created just now. Try again in a minute.");
  }
  return seeOther("/editor/sign-in?setup=created");
}
