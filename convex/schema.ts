import { authTables } from "@convex-dev/auth/server";
import { defineSchema } from "convex/server";
import { alertTables } from "./alerts/tables";
import { auditTables } from "./audit/tables";
import { backupTables } from "./backups/tables";
import { deploymentTables } from "./deployment/tables";
import { functionTables } from "./functions/tables";
import { importTables } from "./imports/tables";
import { logTables } from "./logs/tables";
import { metricsTables } from "./metrics/tables";
import { runbookTables } from "./runbooks/tables";
import { settingsTables } from "./settings/tables";
import { taskTables } from "./tasks/tables";
import { usageTables } from "./usage/tables";
import { userTables } from "./users/tables";

export default defineSchema({
  ...authTables,
  ...metricsTables,
  ...logTables,
  ...functionTables,
  ...taskTables,
  ...settingsTables,
  ...runbookTables,
  ...deploymentTables,
  ...backupTables,
  ...usageTables,
  ...importTables,
  ...userTables,
  ...auditTables,
  ...alertTables,
});
