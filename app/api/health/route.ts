import { checkDatabaseHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const healthy = await checkDatabaseHealth();
  return Response.json(healthy ? { status: "ok" } : { status: "unavailable", reason: "the database does not answer" }, {
    status: healthy ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
