import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { SERVER_BUNDLE, SERVER_PROCESS_ENV } from "./build-state";

export type AppServer = { url: string; port: number; process: ChildProcess; logFile: string; stop(): Promise<void> };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the production server (scripts/server.ts) on the existing build; waits until /api/health answers 200. */
export async function startAppServer(options: { env: Record<string, string>; logFile: string; port?: number; timeoutMs?: number }): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const log = fs.openSync(options.logFile, "a");
  const child = spawn(process.execPath, [SERVER_BUNDLE], {
    env: { ...process.env, ...SERVER_PROCESS_ENV, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...options.env, PORT: String(port) },
    stdio: ["ignore", log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.closeSync(log);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) return { url, port, process: child, logFile: options.logFile, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  const tail = fs.readFileSync(options.logFile, "utf8").split("\n").slice(-30).join("\n");
  throw new Error(`The app server did not become healthy on port ${port}. Its log ends:\n${tail}`);
}
