#!/usr/bin/env node
// Measures the JavaScript a browser downloads before the first screen renders: the entry script
// and the chunks index.html preloads. Lazy route chunks load later and are not counted.
// Also checks that no source map in the build carries the original source code.
// Run after `vite build`. Exits 1 when the gzip total exceeds the budget or a map ships source.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 150;
const distDir = resolve(process.argv[2] ?? "dist");
const indexPath = join(distDir, "index.html");

if (!existsSync(indexPath)) {
  console.error(`check-bundle-size: ${indexPath} not found. Run \`vite build\` first.`);
  process.exit(1);
}

// A published map with `sourcesContent` hands every visitor the full, commented source.
const leakingMaps = readdirSync(distDir, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith(".map"))
  .filter((file) => {
    const map = JSON.parse(readFileSync(join(distDir, file), "utf8"));
    return Array.isArray(map.sourcesContent) && map.sourcesContent.some((content) => content);
  });
if (leakingMaps.length > 0) {
  console.error(
    `check-bundle-size: ${leakingMaps.length} source map(s) ship the original source (sourcesContent), e.g. ${leakingMaps[0]}.`,
  );
  process.exit(1);
}

const html = readFileSync(indexPath, "utf8");
const attribute = (tag, name) => tag.match(new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, "i"))?.[1];

const scripts = [];
for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
  const src = attribute(tag, "src");
  if (src && attribute(tag, "type") === "module") scripts.push(src);
}
for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
  const href = attribute(tag, "href");
  if (href && attribute(tag, "rel") === "modulepreload") scripts.push(href);
}

if (scripts.length === 0) {
  console.error("check-bundle-size: no module script or modulepreload link in index.html.");
  process.exit(1);
}

let totalBytes = 0;
const rows = [];
for (const url of new Set(scripts)) {
  if (/^(https?:)?\/\//.test(url)) {
    console.error(`check-bundle-size: ${url} is loaded from another origin; it cannot be measured.`);
    process.exit(1);
  }
  const file = join(distDir, url.replace(/^\//, "").split(/[?#]/)[0]);
  const gzipBytes = gzipSync(readFileSync(file), { level: 9 }).length;
  totalBytes += gzipBytes;
  rows.push([url, gzipBytes]);
}

for (const [url, bytes] of rows) {
  console.log(`  ${(bytes / 1024).toFixed(1).padStart(7)} KB  ${url}`);
}
const totalKb = totalBytes / 1024;
console.log(`First-screen JavaScript: ${totalKb.toFixed(1)} KB gzip (budget ${BUDGET_KB} KB)`);
if (totalKb > BUDGET_KB) {
  console.error(`check-bundle-size: over budget by ${(totalKb - BUDGET_KB).toFixed(1)} KB.`);
  process.exit(1);
}
