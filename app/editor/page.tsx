import type { Metadata } from "next";
import { requireStaffSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Dashboard" };

export default async function EditorHome() {
  const staff = await requireStaffSession("/editor");
  return (
    <>
      <header className="border-b border-rule">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3">
          <a href="/editor" className="font-serif text-xl font-bold">
            Top One Magazine · Editor
          </a>
          <form method="post" action="/api/staff/sign-out" className="flex items-center gap-3 text-sm">
            <span>
              {staff.name} <span className="text-muted">({staff.role})</span>
            </span>
            <button type="submit" className="rounded border border-rule px-3 py-1">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        <h1 className="font-serif text-3xl font-bold">Dashboard</h1>
        <p className="mt-2 text-muted">Signed in as {staff.email}. Drafting and publishing arrive with the editor dashboard.</p>
      </main>
    </>
  );
}
