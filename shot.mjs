import { chromium } from "playwright-core";
const [url, out, width, full, scheme] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu","--disable-quic","--no-first-run","--disable-background-networking","--disable-component-update","--disable-sync"] });
const page = await browser.newPage({ viewport: { width: Number(width||1280), height: 900 }, colorScheme: scheme || "light" });
const r = await page.goto(url);
console.log(r.status());
await page.screenshot({ path: out, fullPage: full === "full" });
await browser.close();
