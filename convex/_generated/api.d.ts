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
import type * as audit_trail from "../audit/trail.js";
import type * as auth from "../auth.js";
import type * as crons from "../crons.js";
import type * as http from "../http.js";
import type * as lib_auditActions from "../lib/auditActions.js";
import type * as lib_dashboardMath from "../lib/dashboardMath.js";
import type * as lib_demoTraffic from "../lib/demoTraffic.js";
import type * as lib_errorClassification from "../lib/errorClassification.js";
import type * as lib_errors from "../lib/errors.js";
import type * as lib_functions from "../lib/functions.js";
import type * as lib_histogram from "../lib/histogram.js";
import type * as lib_logEvents from "../lib/logEvents.js";
import type * as lib_logStream from "../lib/logStream.js";
import type * as lib_metricSettings from "../lib/metricSettings.js";
import type * as lib_password from "../lib/password.js";
import type * as lib_periods from "../lib/periods.js";
import type * as lib_roles from "../lib/roles.js";
import type * as lib_rollups from "../lib/rollups.js";
import type * as lib_runbookEvidence from "../lib/runbookEvidence.js";
import type * as lib_runbookProgress from "../lib/runbookProgress.js";
import type * as lib_settingsRules from "../lib/settingsRules.js";
import type * as lib_slowQuery from "../lib/slowQuery.js";
import type * as lib_timeBuckets from "../lib/timeBuckets.js";
import type * as lib_version from "../lib/version.js";
import type * as metrics_dashboard from "../metrics/dashboard.js";
import type * as metrics_demo from "../metrics/demo.js";
import type * as metrics_errorGroupBuckets from "../metrics/errorGroupBuckets.js";
import type * as metrics_ingest from "../metrics/ingest.js";
import type * as metrics_logStream from "../metrics/logStream.js";
import type * as metrics_retention from "../metrics/retention.js";
import type * as metrics_tables from "../metrics/tables.js";
import type * as metrics_webhook from "../metrics/webhook.js";
import type * as runbooks_board from "../runbooks/board.js";
import type * as runbooks_cron from "../runbooks/cron.js";
import type * as runbooks_model from "../runbooks/model.js";
import type * as runbooks_runs from "../runbooks/runs.js";
import type * as runbooks_seedTemplates from "../runbooks/seedTemplates.js";
import type * as runbooks_tables from "../runbooks/tables.js";
import type * as runbooks_templates from "../runbooks/templates.js";
import type * as runbooks_validation from "../runbooks/validation.js";
import type * as settings_load from "../settings/load.js";
import type * as settings_settings from "../settings/settings.js";
import type * as settings_tables from "../settings/tables.js";
import type * as tasks_read from "../tasks/read.js";
import type * as tasks_tables from "../tasks/tables.js";
import type * as tasks_tasks from "../tasks/tasks.js";
import type * as users_account from "../users/account.js";
import type * as users_admin from "../users/admin.js";
import type * as users_invites from "../users/invites.js";
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
  "audit/trail": typeof audit_trail;
  auth: typeof auth;
  crons: typeof crons;
  http: typeof http;
  "lib/auditActions": typeof lib_auditActions;
  "lib/dashboardMath": typeof lib_dashboardMath;
  "lib/demoTraffic": typeof lib_demoTraffic;
  "lib/errorClassification": typeof lib_errorClassification;
  "lib/errors": typeof lib_errors;
  "lib/functions": typeof lib_functions;
  "lib/histogram": typeof lib_histogram;
  "lib/logEvents": typeof lib_logEvents;
  "lib/logStream": typeof lib_logStream;
  "lib/metricSettings": typeof lib_metricSettings;
  "lib/password": typeof lib_password;
  "lib/periods": typeof lib_periods;
  "lib/roles": typeof lib_roles;
  "lib/rollups": typeof lib_rollups;
  "lib/runbookEvidence": typeof lib_runbookEvidence;
  "lib/runbookProgress": typeof lib_runbookProgress;
  "lib/settingsRules": typeof lib_settingsRules;
  "lib/slowQuery": typeof lib_slowQuery;
  "lib/timeBuckets": typeof lib_timeBuckets;
  "lib/version": typeof lib_version;
  "metrics/dashboard": typeof metrics_dashboard;
  "metrics/demo": typeof metrics_demo;
  "metrics/errorGroupBuckets": typeof metrics_errorGroupBuckets;
  "metrics/ingest": typeof metrics_ingest;
  "metrics/logStream": typeof metrics_logStream;
  "metrics/retention": typeof metrics_retention;
  "metrics/tables": typeof metrics_tables;
  "metrics/webhook": typeof metrics_webhook;
  "runbooks/board": typeof runbooks_board;
  "runbooks/cron": typeof runbooks_cron;
  "runbooks/model": typeof runbooks_model;
  "runbooks/runs": typeof runbooks_runs;
  "runbooks/seedTemplates": typeof runbooks_seedTemplates;
  "runbooks/tables": typeof runbooks_tables;
  "runbooks/templates": typeof runbooks_templates;
  "runbooks/validation": typeof runbooks_validation;
  "settings/load": typeof settings_load;
  "settings/settings": typeof settings_settings;
  "settings/tables": typeof settings_tables;
  "tasks/read": typeof tasks_read;
  "tasks/tables": typeof tasks_tables;
  "tasks/tasks": typeof tasks_tasks;
  "users/account": typeof users_account;
  "users/admin": typeof users_admin;
  "users/invites": typeof users_invites;
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
