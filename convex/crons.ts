import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

crons.interval("sweep expired metrics", { minutes: 10 }, internal.metrics.retention.sweep, {});

export default crons;
