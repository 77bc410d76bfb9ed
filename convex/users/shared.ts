/** The password rules the sign-up form checks before the server does. */
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblems } from "./model/password";
