/** Reported by GET /api/health; kept equal to package.json's version by a test. */
export const APP_VERSION = "0.1.0";
