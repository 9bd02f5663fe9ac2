import { createFirstAdmin } from "@/lib/auth/setup";
import { DomainError } from "@/lib/errors";
import { FormTooLarge, readForm, seeOther, tooLarge } from "@/lib/http/forms";

// First run: creates the admin account while none exists (lib/auth/setup.ts refuses afterwards).
export async function POST(request: Request) {
  let form: Record<string, string>;
  try {
    form = await readForm(request);
  } catch (error) {
    if (error instanceof FormTooLarge) return tooLarge();
    throw error;
  }
  try {
    await createFirstAdmin({ email: form.email ?? "", name: form.name ?? "", password: form.password ?? "" });
  } catch (error) {
    if (error instanceof DomainError && error.status === 409) return seeOther("/editor/sign-in?setup=done");
    if (error instanceof DomainError) {
      const params = new URLSearchParams({ error: error.message, email: (form.email ?? "").slice(0, 254), name: (form.name ?? "").slice(0, 120) });
      return seeOther(`/editor/setup?${params}`);
    }
    throw error;
  }
  return seeOther("/editor/sign-in?setup=created");
}
