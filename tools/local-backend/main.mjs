#!/usr/bin/env node
// Entry point for plain Node: `node tools/local-backend/main.mjs [options]`.
// Registers the TypeScript hooks, then runs the CLI written in TypeScript.
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);
const { main } = await import("./cli.ts");
await main(process.argv.slice(2));
