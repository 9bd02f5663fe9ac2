import { plainError, seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { deleteSection, moveSection } from "@/lib/sections/mutations";

type Context = { params: Promise<{ id: string; operation: string }> };

// The buttons beside each section on /editor/sections. lib/sections checks the capability;
// lib/auth/endpoints.ts lists each operation.
export async function POST(request: Request, { params }: Context) {
  const { id, operation } = await params;
  return handleStaffForm(request, "/editor/sections", async (staff) => {
    switch (operation) {
      case "move-up":
      case "move-down":
        await moveSection(staff.actor, id, operation === "move-up" ? "up" : "down");
        return seeOther("/editor/sections?done=moved");
      case "delete":
        await deleteSection(staff.actor, id);
        return seeOther("/editor/sections?done=deleted");
      default:
        return plainError(404, "There is no such operation.");
    }
  });
}
