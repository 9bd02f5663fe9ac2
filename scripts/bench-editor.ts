import type { DemoArticle } from "@/db/seed/demo-content";

// The newsroom's side of `npm run bench`: autosave round-trips (the editor's save request, as the
// browser sends it, each naming the version it edits) and the time from "Publish" until readers'
// pages show the article. Creates the first admin through the real first-run setup.

export const ADMIN = { name: "Bench Admin", email: "bench.admin@bench.example", password: "granite-orchard-kite-64" };

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

export async function signIn(baseUrl: string): Promise<string> {
  const form = { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" };
  await fetch(`${baseUrl}/api/staff/setup`, { method: "POST", headers: form, body: new URLSearchParams(ADMIN), redirect: "manual" });
  const response = await fetch(`${baseUrl}/api/staff/sign-in`, { method: "POST", headers: form, body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }), redirect: "manual" });
  if (response.headers.get("location") !== "/editor") throw new Error(`bench sign-in failed: ${response.status}`);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

export async function benchEditor(baseUrl: string, source: DemoArticle, saves = 200): Promise<void> {
  const cookie = await signIn(baseUrl);
  const headers = { Origin: baseUrl, cookie };
  const created = await fetch(`${baseUrl}/api/staff/articles`, { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body: "", redirect: "manual" });
  const id = /\/editor\/articles\/([0-9a-f-]{36})$/.exec(created.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`bench: no draft was created (${created.status})`);

  // typing: each save carries one more sentence of the article than the last
  const sentences = source.body.flatMap((block) => (typeof block === "string" ? block.split(/(?<=\.)\s+/) : []));
  const title = `${source.title} (bench ${Date.now().toString(36)})`;
  let version = 1;
  const times: number[] = [];
  for (let i = 0; i < saves; i++) {
    const paragraphs = sentences.slice(0, 1 + (i % sentences.length)).map((text) => ({ type: "paragraph", content: [{ type: "text", text }] }));
    const article = { version, title, dek: source.dek, body: { type: "doc", content: paragraphs }, tags: ["Bench"], authorIds: [] };
    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/staff/articles/${id}`, { method: "POST", headers: { ...headers, "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify({ article, autosave: true }) });
    const answer = (await response.json()) as { version?: number; error?: string };
    times.push(performance.now() - started);
    if (!answer.version) throw new Error(`bench: save ${i} failed: ${response.status} ${answer.error}`);
    version = answer.version;
  }
  const bodyKb = (JSON.stringify(sentences).length / 1024).toFixed(0);
  console.log(`\nAutosave round-trip (${saves} sequential saves, body growing to ~${bodyKb} kB): p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);

  // publish → visible: readers' cached pages are warm before; the clock stops when all show it
  for (const path of ["/", "/feed.xml", "/section/world"]) await fetch(`${baseUrl}${path}`);
  const started = performance.now();
  const published = await fetch(`${baseUrl}/api/staff/articles/${id}/publish`, { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" }, body: new URLSearchParams({ version: String(version) }) });
  if (!published.ok) throw new Error(`bench: publish failed: ${published.status} ${await published.text()}`);
  const publishMs = performance.now() - started;
  const visible = await Promise.all(["/", "/feed.xml"].map(async (path) => (await (await fetch(`${baseUrl}${path}`)).text()).includes(title.replace(/&/g, "&amp;"))));
  const total = performance.now() - started;
  console.log(`Publish to visible: ${publishMs.toFixed(0)} ms for the publish request, ${total.toFixed(0)} ms until the front page and feed both show it (${visible.every(Boolean) ? "both did" : "NOT VISIBLE"})`);
}
