import { signOut } from "@/lib/auth/auth";
import { seeOther } from "@/lib/http/forms";

export async function POST() {
  await signOut({ redirect: false });
  return seeOther("/editor/sign-in?signed-out=1");
}
