#!/usr/bin/env node
// `npm run loadgen -- [options]`: realistic signed log-stream traffic (and, with an operator's
// credentials, real calls to the instrumented tasks functions) against a running console backend.
import { register } from "node:module";

register("../local-backend/ts-hooks.mjs", import.meta.url);
const { main } = await import("./loadgen.ts");
await main(process.argv.slice(2));
