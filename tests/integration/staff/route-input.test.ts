import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, media, users } from "@/db/schema";
import type { StaffSession } from "@/lib/auth/session";
import { countRows, makeStaff } from "../../fixtures/builders";
import { pngOf } from "../media/helpers";

// Odd input to the admin's staff and settings routes is a person's mistake (a 4xx naming it), never
// an outage answer from a database error, and never a stored half of something.

let session: StaffSession | null = null;
vi.mock("@/lib/auth/session", async () => (await import("../../fixtures/session-mock")).sessionModuleAnswering(() => session));

const { POST: staffOperation } = await import("@/app/api/staff/users/[id]/[operation]/route");
const { POST: siteImage } = await import("@/app/api/staff/settings/images/route");

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let admin: Staff;
let writer: Staff;

beforeAll(async () => {
  admin = await makeStaff("admin", "Ada Routes");
  writer = await makeStaff("writer", "Wes Routes");
  session = { id: admin.id, name: admin.name, email: `${admin.slug}@example.test`, role: admin.role, actor: { kind: "staff", id: admin.id, role: admin.role } };
});

const form = () => new Request("http://localhost/api/staff/users/x", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({}) });
const params = (id: string, operation: string) => ({ params: Promise.resolve({ id, operation }) });

describe("the staff operations route", () => {
  it("answers 404 for an id that is not a uuid, whatever its length or characters", async () => {
    for (const id of ["-".repeat(36), "0123456789abcdef".repeat(3).slice(0, 36), `${writer.id.slice(0, 35)}g`, "x"]) {
      const response = await staffOperation(form(), params(id, "suspend"));
      expect(response.status, id).toBe(404);
      expect(await response.text()).toBe("There is no such staff member.\n");
    }
  });

  it("still suspends and signs out a real staff member", async () => {
    expect((await staffOperation(form(), params(writer.id, "sign-out-everywhere"))).status).toBe(303);
    const unknown = await staffOperation(form(), params(randomUUID(), "sign-out-everywhere"));
    expect(unknown.status).toBe(404);
  });
});

describe("the site image route", () => {
  it("refuses an image kind named after an Object property, storing nothing", async () => {
    const png = await pngOf(40, 40);
    const before = await countRows({ media, auditLog, users });
    for (const kind of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const body = new FormData();
      body.set("image", kind);
      body.set("file", new File([new Uint8Array(png)], "logo.png", { type: "image/png" }));
      const response = await siteImage(new Request("http://localhost/api/staff/settings/images", { method: "POST", body }));
      expect(response.status, kind).toBe(400);
      expect(await response.text()).toMatch(/Say which image this is/);
    }
    expect(await countRows({ media, auditLog, users })).toEqual(before);
  });
});
