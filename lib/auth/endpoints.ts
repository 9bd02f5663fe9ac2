import type { Capability } from "./permissions";

// Every staff page and route handler, with what it requires. The route code checks the session and
// the capability table itself (lib/auth/session, lib/auth/permissions); this list is what the
// authorization-matrix tests walk, and a unit test fails when a staff route exists that is not here.
//   public          anyone (sign-in, first-run setup, one-time links)
//   signed-in       any active staff member
//   self-or-<cap>   the person it concerns, or whoever holds the capability
export type Access = "public" | "signed-in" | Capability | `self-or-${Capability}`;

export const staffEndpoints = {
  "GET /editor": "signed-in",
  "GET /editor/sign-in": "public",
  "GET /editor/setup": "public",
  "GET /editor/staff": "staff:manage",
  "GET /editor/welcome/[token]": "public",
  "GET /editor/profile": "signed-in",
  "GET /editor/settings": "settings:manage",
  "GET /editor/media": "media:upload",
  "POST /api/staff/sign-in": "public",
  "POST /api/staff/sign-out": "public",
  "POST /api/staff/setup": "public",
  "POST /api/staff/invites": "staff:manage",
  "POST /api/staff/users/[id]/role": "staff:manage",
  "POST /api/staff/users/[id]/suspend": "staff:manage",
  "POST /api/staff/users/[id]/reactivate": "staff:manage",
  "POST /api/staff/users/[id]/reset-password": "staff:manage",
  "POST /api/staff/users/[id]/sign-out-everywhere": "self-or-staff:manage",
  "POST /api/staff/welcome/[token]": "public",
  "POST /api/staff/profile": "signed-in",
  "POST /api/staff/password": "signed-in",
  "POST /api/staff/settings": "settings:manage",
  "POST /api/staff/settings/images": "settings:manage",
  "POST /api/staff/profile/photo": "signed-in",
  "POST /api/staff/media": "media:upload",
  "GET /editor/articles/[id]": "self-or-article:edit-any",
  "POST /api/staff/articles": "article:create",
  "GET /editor/import": "article:create",
  "POST /api/staff/import/article": "article:create",
  "POST /api/staff/import/feed": "article:create",
  "POST /api/staff/articles/[id]": "self-or-article:edit-any",
  "POST /api/staff/articles/[id]/submit": "self-or-article:publish",
  "POST /api/staff/articles/[id]/publish": "article:publish",
  "POST /api/staff/articles/[id]/schedule": "article:publish",
  "POST /api/staff/articles/[id]/unpublish": "article:publish",
  "POST /api/staff/articles/[id]/archive": "article:publish",
  "POST /api/staff/articles/[id]/correct": "article:publish",
  "POST /api/staff/articles/[id]/restore": "self-or-article:edit-any",
  "POST /api/staff/articles/[id]/share": "self-or-article:edit-any",
  "POST /api/staff/articles/[id]/presence": "self-or-article:edit-any",
  "GET /api/staff/articles/[id]/preview": "self-or-article:edit-any",
  "GET /editor/articles/[id]/revisions": "self-or-article:edit-any",
  "POST /api/staff/media/[id]": "self-or-media:manage",
  "POST /api/staff/media/[id]/delete": "self-or-media:manage",
  "GET /editor/sections": "sections:manage",
  "POST /api/staff/sections": "sections:manage",
  "POST /api/staff/sections/[id]": "sections:manage",
  "POST /api/staff/sections/[id]/move-up": "sections:manage",
  "POST /api/staff/sections/[id]/move-down": "sections:manage",
  "POST /api/staff/sections/[id]/delete": "sections:manage",
  "GET /editor/tags": "tags:manage",
  "POST /api/staff/tags": "tags:manage",
  "POST /api/staff/tags/[id]": "tags:manage",
  "POST /api/staff/tags/[id]/merge": "tags:manage",
  "POST /api/staff/tags/[id]/delete": "tags:manage",
  "GET /editor/audit": "audit:read",
} as const satisfies Record<string, Access>;

export type StaffEndpoint = keyof typeof staffEndpoints;
