/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as audit_record from "../audit/record.js";
import type * as audit_shared from "../audit/shared.js";
import type * as audit_trail from "../audit/trail.js";
import type * as auth from "../auth.js";
import type * as backups_backups from "../backups/backups.js";
import type * as backups_copy from "../backups/copy.js";
import type * as backups_cron from "../backups/cron.js";
import type * as backups_download from "../backups/download.js";
import type * as backups_flow from "../backups/flow.js";
import type * as backups_model_base64 from "../backups/model/base64.js";
import type * as backups_model_convexId from "../backups/model/convexId.js";
import type * as backups_model_crc32 from "../backups/model/crc32.js";
import type * as backups_model_downloadToken from "../backups/model/downloadToken.js";
import type * as backups_model_exportJson from "../backups/model/exportJson.js";
import type * as backups_model_inflate from "../backups/model/inflate.js";
import type * as backups_model_restorePlan from "../backups/model/restorePlan.js";
import type * as backups_model_restoreStates from "../backups/model/restoreStates.js";
import type * as backups_model_retention from "../backups/model/retention.js";
import type * as backups_model_rpo from "../backups/model/rpo.js";
import type * as backups_model_schedule from "../backups/model/schedule.js";
import type * as backups_model_sha256 from "../backups/model/sha256.js";
import type * as backups_model_snapshotPaths from "../backups/model/snapshotPaths.js";
import type * as backups_model_snapshotReader from "../backups/model/snapshotReader.js";
import type * as backups_model_snapshotZip from "../backups/model/snapshotZip.js";
import type * as backups_model_states from "../backups/model/states.js";
import type * as backups_model_verify from "../backups/model/verify.js";
import type * as backups_model_zipReader from "../backups/model/zipReader.js";
import type * as backups_model_zipWriter from "../backups/model/zipWriter.js";
import type * as backups_preImport from "../backups/preImport.js";
import type * as backups_restore from "../backups/restore.js";
import type * as backups_restoreFlow from "../backups/restoreFlow.js";
import type * as backups_shared from "../backups/shared.js";
import type * as backups_store from "../backups/store.js";
import type * as backups_tables from "../backups/tables.js";
import type * as backups_watchdog from "../backups/watchdog.js";
import type * as crons from "../crons.js";
import type * as deployment_client from "../deployment/client.js";
import type * as deployment_connection from "../deployment/connection.js";
import type * as deployment_model_connection from "../deployment/model/connection.js";
import type * as deployment_model_errors from "../deployment/model/errors.js";
import type * as deployment_model_exports from "../deployment/model/exports.js";
import type * as deployment_model_imports from "../deployment/model/imports.js";
import type * as deployment_model_usage from "../deployment/model/usage.js";
import type * as deployment_tables from "../deployment/tables.js";
import type * as http from "../http.js";
import type * as imports_flow from "../imports/flow.js";
import type * as imports_imports from "../imports/imports.js";
import type * as imports_model_convexText from "../imports/model/convexText.js";
import type * as imports_model_convexTypes from "../imports/model/convexTypes.js";
import type * as imports_model_lines from "../imports/model/lines.js";
import type * as imports_model_preview from "../imports/model/preview.js";
import type * as imports_model_progress from "../imports/model/progress.js";
import type * as imports_model_records from "../imports/model/records.js";
import type * as imports_model_schemaTyping from "../imports/model/schemaTyping.js";
import type * as imports_model_states from "../imports/model/states.js";
import type * as imports_model_validate from "../imports/model/validate.js";
import type * as imports_shared from "../imports/shared.js";
import type * as imports_tableRows from "../imports/tableRows.js";
import type * as imports_tables from "../imports/tables.js";
import type * as imports_watchdog from "../imports/watchdog.js";
import type * as lib_errors from "../lib/errors.js";
import type * as lib_functions from "../lib/functions.js";
import type * as lib_periods from "../lib/periods.js";
import type * as lib_roles from "../lib/roles.js";
import type * as lib_secrets from "../lib/secrets.js";
import type * as lib_shared from "../lib/shared.js";
import type * as lib_slowQuery from "../lib/slowQuery.js";
import type * as lib_version from "../lib/version.js";
import type * as metrics_dashboard from "../metrics/dashboard.js";
import type * as metrics_demo from "../metrics/demo.js";
import type * as metrics_deploys from "../metrics/deploys.js";
import type * as metrics_errorGroupBuckets from "../metrics/errorGroupBuckets.js";
import type * as metrics_health from "../metrics/health.js";
import type * as metrics_ingest from "../metrics/ingest.js";
import type * as metrics_logStream from "../metrics/logStream.js";
import type * as metrics_model_dashboardMath from "../metrics/model/dashboardMath.js";
import type * as metrics_model_demoTraffic from "../metrics/model/demoTraffic.js";
import type * as metrics_model_errorClassification from "../metrics/model/errorClassification.js";
import type * as metrics_model_health from "../metrics/model/health.js";
import type * as metrics_model_histogram from "../metrics/model/histogram.js";
import type * as metrics_model_logEvents from "../metrics/model/logEvents.js";
import type * as metrics_model_logStream from "../metrics/model/logStream.js";
import type * as metrics_model_rollups from "../metrics/model/rollups.js";
import type * as metrics_model_timeBuckets from "../metrics/model/timeBuckets.js";
import type * as metrics_retention from "../metrics/retention.js";
import type * as metrics_shared from "../metrics/shared.js";
import type * as metrics_tables from "../metrics/tables.js";
import type * as metrics_webhook from "../metrics/webhook.js";
import type * as runbooks_board from "../runbooks/board.js";
import type * as runbooks_cron from "../runbooks/cron.js";
import type * as runbooks_model_evidence from "../runbooks/model/evidence.js";
import type * as runbooks_model_progress from "../runbooks/model/progress.js";
import type * as runbooks_runs from "../runbooks/runs.js";
import type * as runbooks_seedTemplates from "../runbooks/seedTemplates.js";
import type * as runbooks_shared from "../runbooks/shared.js";
import type * as runbooks_store from "../runbooks/store.js";
import type * as runbooks_tables from "../runbooks/tables.js";
import type * as runbooks_templates from "../runbooks/templates.js";
import type * as runbooks_validation from "../runbooks/validation.js";
import type * as settings_load from "../settings/load.js";
import type * as settings_model_metricSettings from "../settings/model/metricSettings.js";
import type * as settings_model_settingsRules from "../settings/model/settingsRules.js";
import type * as settings_settings from "../settings/settings.js";
import type * as settings_shared from "../settings/shared.js";
import type * as settings_tables from "../settings/tables.js";
import type * as tasks_admin from "../tasks/admin.js";
import type * as tasks_read from "../tasks/read.js";
import type * as tasks_shared from "../tasks/shared.js";
import type * as tasks_tables from "../tasks/tables.js";
import type * as tasks_tasks from "../tasks/tasks.js";
import type * as usage_convexFigures from "../usage/convexFigures.js";
import type * as usage_model_convexFigures from "../usage/model/convexFigures.js";
import type * as usage_model_forecast from "../usage/model/forecast.js";
import type * as usage_model_metering from "../usage/model/metering.js";
import type * as usage_model_plans from "../usage/model/plans.js";
import type * as usage_model_states from "../usage/model/states.js";
import type * as usage_model_summary from "../usage/model/summary.js";
import type * as usage_read from "../usage/read.js";
import type * as usage_shared from "../usage/shared.js";
import type * as usage_store from "../usage/store.js";
import type * as usage_tables from "../usage/tables.js";
import type * as usage_usage from "../usage/usage.js";
import type * as users_account from "../users/account.js";
import type * as users_admin from "../users/admin.js";
import type * as users_invites from "../users/invites.js";
import type * as users_lockout from "../users/lockout.js";
import type * as users_model_inviteToken from "../users/model/inviteToken.js";
import type * as users_model_password from "../users/model/password.js";
import type * as users_shared from "../users/shared.js";
import type * as users_signUp from "../users/signUp.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  "audit/record": typeof audit_record;
  "audit/shared": typeof audit_shared;
  "audit/trail": typeof audit_trail;
  auth: typeof auth;
  "backups/backups": typeof backups_backups;
  "backups/copy": typeof backups_copy;
  "backups/cron": typeof backups_cron;
  "backups/download": typeof backups_download;
  "backups/flow": typeof backups_flow;
  "backups/model/base64": typeof backups_model_base64;
  "backups/model/convexId": typeof backups_model_convexId;
  "backups/model/crc32": typeof backups_model_crc32;
  "backups/model/downloadToken": typeof backups_model_downloadToken;
  "backups/model/exportJson": typeof backups_model_exportJson;
  "backups/model/inflate": typeof backups_model_inflate;
  "backups/model/restorePlan": typeof backups_model_restorePlan;
  "backups/model/restoreStates": typeof backups_model_restoreStates;
  "backups/model/retention": typeof backups_model_retention;
  "backups/model/rpo": typeof backups_model_rpo;
  "backups/model/schedule": typeof backups_model_schedule;
  "backups/model/sha256": typeof backups_model_sha256;
  "backups/model/snapshotPaths": typeof backups_model_snapshotPaths;
  "backups/model/snapshotReader": typeof backups_model_snapshotReader;
  "backups/model/snapshotZip": typeof backups_model_snapshotZip;
  "backups/model/states": typeof backups_model_states;
  "backups/model/verify": typeof backups_model_verify;
  "backups/model/zipReader": typeof backups_model_zipReader;
  "backups/model/zipWriter": typeof backups_model_zipWriter;
  "backups/preImport": typeof backups_preImport;
  "backups/restore": typeof backups_restore;
  "backups/restoreFlow": typeof backups_restoreFlow;
  "backups/shared": typeof backups_shared;
  "backups/store": typeof backups_store;
  "backups/tables": typeof backups_tables;
  "backups/watchdog": typeof backups_watchdog;
  crons: typeof crons;
  "deployment/client": typeof deployment_client;
  "deployment/connection": typeof deployment_connection;
  "deployment/model/connection": typeof deployment_model_connection;
  "deployment/model/errors": typeof deployment_model_errors;
  "deployment/model/exports": typeof deployment_model_exports;
  "deployment/model/imports": typeof deployment_model_imports;
  "deployment/model/usage": typeof deployment_model_usage;
  "deployment/tables": typeof deployment_tables;
  http: typeof http;
  "imports/flow": typeof imports_flow;
  "imports/imports": typeof imports_imports;
  "imports/model/convexText": typeof imports_model_convexText;
  "imports/model/convexTypes": typeof imports_model_convexTypes;
  "imports/model/lines": typeof imports_model_lines;
  "imports/model/preview": typeof imports_model_preview;
  "imports/model/progress": typeof imports_model_progress;
  "imports/model/records": typeof imports_model_records;
  "imports/model/schemaTyping": typeof imports_model_schemaTyping;
  "imports/model/states": typeof imports_model_states;
  "imports/model/validate": typeof imports_model_validate;
  "imports/shared": typeof imports_shared;
  "imports/tableRows": typeof imports_tableRows;
  "imports/tables": typeof imports_tables;
  "imports/watchdog": typeof imports_watchdog;
  "lib/errors": typeof lib_errors;
  "lib/functions": typeof lib_functions;
  "lib/periods": typeof lib_periods;
  "lib/roles": typeof lib_roles;
  "lib/secrets": typeof lib_secrets;
  "lib/shared": typeof lib_shared;
  "lib/slowQuery": typeof lib_slowQuery;
  "lib/version": typeof lib_version;
  "metrics/dashboard": typeof metrics_dashboard;
  "metrics/demo": typeof metrics_demo;
  "metrics/deploys": typeof metrics_deploys;
  "metrics/errorGroupBuckets": typeof metrics_errorGroupBuckets;
  "metrics/health": typeof metrics_health;
  "metrics/ingest": typeof metrics_ingest;
  "metrics/logStream": typeof metrics_logStream;
  "metrics/model/dashboardMath": typeof metrics_model_dashboardMath;
  "metrics/model/demoTraffic": typeof metrics_model_demoTraffic;
  "metrics/model/errorClassification": typeof metrics_model_errorClassification;
  "metrics/model/health": typeof metrics_model_health;
  "metrics/model/histogram": typeof metrics_model_histogram;
  "metrics/model/logEvents": typeof metrics_model_logEvents;
  "metrics/model/logStream": typeof metrics_model_logStream;
  "metrics/model/rollups": typeof metrics_model_rollups;
  "metrics/model/timeBuckets": typeof metrics_model_timeBuckets;
  "metrics/retention": typeof metrics_retention;
  "metrics/shared": typeof metrics_shared;
  "metrics/tables": typeof metrics_tables;
  "metrics/webhook": typeof metrics_webhook;
  "runbooks/board": typeof runbooks_board;
  "runbooks/cron": typeof runbooks_cron;
  "runbooks/model/evidence": typeof runbooks_model_evidence;
  "runbooks/model/progress": typeof runbooks_model_progress;
  "runbooks/runs": typeof runbooks_runs;
  "runbooks/seedTemplates": typeof runbooks_seedTemplates;
  "runbooks/shared": typeof runbooks_shared;
  "runbooks/store": typeof runbooks_store;
  "runbooks/tables": typeof runbooks_tables;
  "runbooks/templates": typeof runbooks_templates;
  "runbooks/validation": typeof runbooks_validation;
  "settings/load": typeof settings_load;
  "settings/model/metricSettings": typeof settings_model_metricSettings;
  "settings/model/settingsRules": typeof settings_model_settingsRules;
  "settings/settings": typeof settings_settings;
  "settings/shared": typeof settings_shared;
  "settings/tables": typeof settings_tables;
  "tasks/admin": typeof tasks_admin;
  "tasks/read": typeof tasks_read;
  "tasks/shared": typeof tasks_shared;
  "tasks/tables": typeof tasks_tables;
  "tasks/tasks": typeof tasks_tasks;
  "usage/convexFigures": typeof usage_convexFigures;
  "usage/model/convexFigures": typeof usage_model_convexFigures;
  "usage/model/forecast": typeof usage_model_forecast;
  "usage/model/metering": typeof usage_model_metering;
  "usage/model/plans": typeof usage_model_plans;
  "usage/model/states": typeof usage_model_states;
  "usage/model/summary": typeof usage_model_summary;
  "usage/read": typeof usage_read;
  "usage/shared": typeof usage_shared;
  "usage/store": typeof usage_store;
  "usage/tables": typeof usage_tables;
  "usage/usage": typeof usage_usage;
  "users/account": typeof users_account;
  "users/admin": typeof users_admin;
  "users/invites": typeof users_invites;
  "users/lockout": typeof users_lockout;
  "users/model/inviteToken": typeof users_model_inviteToken;
  "users/model/password": typeof users_model_password;
  "users/shared": typeof users_shared;
  "users/signUp": typeof users_signUp;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;
