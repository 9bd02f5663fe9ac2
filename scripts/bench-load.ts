import fs from "node:fs";
import autocannon from "autocannon";

// Load helpers shared by `npm run bench` (scripts/bench.ts), its scale run (scripts/bench-scale.ts)
// and `npm run soak` (scripts/soak.ts).

export const DURATION_S = Number(process.env.BENCH_SECONDS) || 6;
// as a browser asks: compressed, so the server's gzip cost is part of what is measured
export const BROWSER_HEADERS = { "accept-encoding": "gzip, deflate, br", accept: "text/html,application/xhtml+xml,*/*" };

export type Run = { rps: number; p50: number; p99: number; errors: number };

/** autocannon against one URL for DURATION_S seconds; errors count timeouts and non-2xx answers. */
export async function load(url: string, connections: number): Promise<Run> {
  const result = await autocannon({ url, connections, duration: DURATION_S, headers: BROWSER_HEADERS });
  const errors = result.errors + result.timeouts + (result.non2xx ?? 0);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

/** The p-th percentile (nearest rank) of some values. */
export const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

/** Resident memory of a process in MiB (Linux /proc), or null when it cannot be read. */
export function rssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const kb = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}
