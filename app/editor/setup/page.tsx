import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Field, FormCard, NewPasswordField, Notice } from "@/components/editor/form-fields";
import { adminExists } from "@/lib/auth/setup";

export const metadata: Metadata = { title: "Set up" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
const text = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

// First run only: once an admin exists this address does not.
export default async function SetupPage({ searchParams }: Props) {
  if (await adminExists()) notFound();
  const params = await searchParams;
  const error = text(params.error);
  return (
    <FormCard title="Create the admin account">
      <p className="text-muted">You are the first here. The admin manages staff and the site&apos;s settings.</p>
      {error && <Notice tone="error">{error}</Notice>}
      <form method="post" action="/api/staff/setup" className="space-y-4">
        <Field name="name" label="Your name" autoComplete="name" maxLength={120} defaultValue={text(params.name)} />
        <Field name="email" label="Email" type="email" autoComplete="username" maxLength={254} defaultValue={text(params.email)} />
        <NewPasswordField name="password" label="Password" />
        <button type="submit" className="w-full rounded bg-ink px-4 py-2 font-semibold text-paper">
          Create admin account
        </button>
      </form>
    </FormCard>
  );
}
