import { api } from "@convex/_generated/api";
import { DEFAULT_EDITABLE_SETTINGS, type EditableSettings } from "@convex/settings/shared";
import { answerQuery } from "./fakeConvex";

/** Answers the console settings: these values over the defaults, and who changed them last (nobody by default). */
export function answerConsoleSettings(
  values: Partial<EditableSettings> = {},
  changed: { at: number; by: string } | null = null,
) {
  answerQuery(
    api.settings.settings.get,
    {},
    {
      values: { ...DEFAULT_EDITABLE_SETTINGS, ...values },
      defaults: DEFAULT_EDITABLE_SETTINGS,
      updatedAt: changed?.at ?? null,
      updatedBy: changed?.by ?? null,
    },
  );
}
