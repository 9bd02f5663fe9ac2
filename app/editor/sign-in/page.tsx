import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Field, FormCard, Notice } from "@/components/editor/form-fields";
import { getStaffSession, safeNextPath } from "@/lib/auth/session";
import { adminExists } from "@/lib/auth/setup";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getStaffSession()) redirect(next);
  const hasAdmin = await adminExists();
  return (
    <FormCard title="Staff sign-in">
      {params.error === "invalid" && <Notice tone="error">That email and password do not match an active staff account. Check both and try again.</Notice>}
      {params["signed-out"] && <Notice tone="info">You have signed out.</Notice>}
      {params.setup === "created" && <Notice tone="info">Your admin account is ready. Sign in with it.</Notice>}
      {(params.welcome || params.password === "changed") && <Notice tone="info">Your password is set. Sign in with it.</Notice>}
      {!hasAdmin && (
        <Notice tone="info">
          This magazine has no admin yet. <a href="/editor/setup" className="underline">Create the admin account</a> first.
        </Notice>
      )}
      <form method="post" action="/api/staff/sign-in" className="space-y-4">
        <input type="hidden" name="next" value={next} />
        <Field name="email" label="Email" type="email" autoComplete="username" maxLength={254} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" maxLength={1024} />
        <button type="submit" className="w-full rounded bg-ink px-4 py-2 font-semibold text-paper">
          Sign in
        </button>
      </form>
    </FormCard>
  );
}
