import type { Metadata } from "next";
import { EditorShell } from "@/components/editor/shell";
import { requireStaffSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Dashboard" };

export default async function EditorHome() {
  const staff = await requireStaffSession("/editor");
  return (
    <EditorShell staff={staff} title="Dashboard">
      <p className="mt-2 text-muted">Signed in as {staff.email}. Drafting and publishing arrive with the editor dashboard.</p>
    </EditorShell>
  );
}
