import { z } from "zod";
import { passwordProblem } from "@/lib/auth/password-rules";
import { withoutControlCharacters } from "@/lib/text";

export const roleSchema = z.enum(["admin", "editor", "writer"], { error: "role must be admin, editor or writer" });

export const staffEmailSchema = z.email({ error: "enter an email address such as name@example.com" }).max(254).transform((e) => e.trim().toLowerCase());

export const newStaffSchema = z
  .object({
    email: staffEmailSchema,
    name: z.string().overwrite(withoutControlCharacters).trim().min(1, { error: "a name is required" }).max(120),
    role: roleSchema,
    password: z.string(),
  })
  .superRefine((input, ctx) => {
    const problem = passwordProblem(input.password, input);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });

export type NewStaffInput = z.input<typeof newStaffSchema>;
