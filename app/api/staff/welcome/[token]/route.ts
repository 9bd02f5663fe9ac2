import { DomainError } from "@/lib/errors";
import { plainError, readFormOrRefuse, seeOther } from "@/lib/http/forms";
import { logError } from "@/lib/log";
import { redeemStaffLink } from "@/lib/staff/tokens";

type Props = { params: Promise<{ token: string }> };

// Someone follows an invitation or reset link and chooses a password: the link works once.
export async function POST(request: Request, { params }: Props) {
  const { token } = await params;
  const form = await readFormOrRefuse(request);
  if (form instanceof Response) return form;
  try {
    await redeemStaffLink(token, { name: form.name, password: form.password ?? "" });
  } catch (error) {
    if (error instanceof DomainError && error.status === 400) {
      return seeOther(`/editor/welcome/${encodeURIComponent(token)}?error=${encodeURIComponent(error.message)}`);
    }
    if (error instanceof DomainError) return plainError(error.status, error.message);
    logError("link redemption failed", error);
    return plainError(503, "That could not be saved just now. Try again in a minute.");
  }
  return seeOther("/editor/sign-in?welcome=1");
}
