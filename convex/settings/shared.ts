/** The settings rules the Settings form checks before the server does. */
export {
  DEFAULT_EDITABLE_SETTINGS,
  SETTING_BOUNDS,
  settingsProblems,
  type EditableSettings,
} from "./model/settingsRules";
