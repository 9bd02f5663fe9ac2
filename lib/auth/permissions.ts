// The one capability table. Pure: imported by server code, client UI (to hide buttons) and tests.

export type Role = "admin" | "editor" | "writer";

/**
 * Who is acting. Staff come from the session; `operator` is someone running a command on the server
 * (import, seed, user:create), who already holds the database and is trusted like an admin.
 */
export type Actor = { kind: "staff"; id: string; role: Role } | { kind: "operator"; id: null; role: "admin" };

export const operator: Actor = { kind: "operator", id: null, role: "admin" };

const capabilities = {
  "article:create": ["admin", "editor", "writer"],
  "article:edit-any": ["admin", "editor"],
  "article:publish": ["admin", "editor"],
  // tags are part of editing (editors tidy them); sections are the magazine's structure, its
  // navigation, which DESIGN.md gives to admins with staff and settings
  "tags:manage": ["admin", "editor"],
  "sections:manage": ["admin"],
  "media:upload": ["admin", "editor", "writer"],
  // edit and delete anyone's uploads (writers manage their own)
  "media:manage": ["admin", "editor"],
  "staff:manage": ["admin"],
  "settings:manage": ["admin"],
  // the audit log names people, addresses and what they did
  "audit:read": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof capabilities;

export function can(actor: Actor, capability: Capability): boolean {
  return (capabilities[capability] as readonly Role[]).includes(actor.role);
}
