/** What other domains may use of users: the one rule that makes two spellings of an email equal. */
export { normalizeEmail } from "./model/password";
export { formatUtcClock } from "./lockout";
