import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { auth } from "./auth";
import { serveDownload } from "./backups/download";
import { DOWNLOAD_PATH } from "./backups/model/downloadToken";
import { receiveChunk, UPLOAD_PATH, uploadPreflight } from "./imports/upload";
import { APP_VERSION } from "./lib/version";
import { receiveLogStream } from "./metrics/logStreamRoute";

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

http.route({ path: DOWNLOAD_PATH, method: "GET", handler: serveDownload });

http.route({ path: UPLOAD_PATH, method: "POST", handler: receiveChunk });
http.route({ path: UPLOAD_PATH, method: "OPTIONS", handler: uploadPreflight });

export default http;
