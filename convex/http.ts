import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { auth } from "./auth";
import { APP_VERSION } from "./lib/version";
import { receiveLogStream } from "./metrics/logStream";

const http = httpRouter();

auth.addHttpRoutes(http);

http.route({
  path: "/api/health",
  method: "GET",
  handler: httpAction(async () =>
    Response.json(
      { status: "ok", version: APP_VERSION, serverTime: new Date().toISOString() },
      { headers: { "Cache-Control": "no-store" } },
    ),
  ),
});

http.route({ path: "/log-stream", method: "POST", handler: receiveLogStream });

export default http;
