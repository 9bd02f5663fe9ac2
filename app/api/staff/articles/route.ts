import { createDraft } from "@/lib/articles/editing";
import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";

/** "New article": an empty draft, opened in the editor. */
export function POST(request: Request) {
  return handleStaffForm(request, "/editor", async (staff) => {
    const { id } = await createDraft(staff.actor);
    return seeOther(`/editor/articles/${id}`);
  });
}
