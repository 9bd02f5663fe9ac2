import type { Instrumentation } from "next";

// Runs once when a server process starts: open and migrate the database, seed a fresh install,
// so the first reader does not wait for it. Never during `next build`.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startServer } = await import("@/lib/startup");
  await startServer();
}

export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  const { logError } = await import("@/lib/log");
  logError("request failed", error, {
    method: request.method,
    path: request.path,
    routePath: context.routePath,
    routeType: context.routeType,
    digest: (error as { digest?: string }).digest,
  });
};
