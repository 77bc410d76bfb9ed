/** Admin edits: a template edit writes a new version. */
import { v } from "convex/values";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { adminMutation } from "../lib/functions";
import { currentVersionOf, getTemplateOrThrow, MAX_ITEMS } from "./store";
import { evidenceValidator, type TemplateItem } from "./tables";
import { checkOptionalUrl, checkText } from "./validation";

const MAX_TITLE = 120;
const MAX_DESCRIPTION = 500;
const MAX_ITEM_TEXT = 300;
const MAX_HELP = 500;

const draftItem = v.object({
  /** Absent for a new item; an existing item keeps its key so history follows it across rewordings. */
  key: v.optional(v.string()),
  text: v.string(),
  help: v.optional(v.string()),
  link: v.optional(v.string()),
  evidence: v.optional(evidenceValidator),
});

/**
 * Saves a template's items as its next version: add, reword, reorder and retire (leave out)
 * items. Runs already started keep their version's wording. `expectedVersion` refuses an edit
 * made on top of a version someone else has since replaced.
 */
export const saveVersion = adminMutation({
  args: {
    templateId: v.id("runbookTemplates"),
    expectedVersion: v.number(),
    title: v.string(),
    description: v.string(),
    items: v.array(draftItem),
  },
  handler: async (ctx, { templateId, expectedVersion, title, description, items }) => {
    const template = await getTemplateOrThrow(ctx, templateId);
    if (template.currentVersion !== expectedVersion) {
      throw appError(
        "CONFLICT",
        `${template.title} changed to version ${template.currentVersion} while you edited version ${expectedVersion}. Reload and edit again.`,
      );
    }
    const previous = await currentVersionOf(ctx, template);
    const cleanTitle = checkText(title, "The title", MAX_TITLE);
    const cleanDescription = description.trim().slice(0, MAX_DESCRIPTION);
    if (items.length === 0 || items.length > MAX_ITEMS) {
      throw appError("VALIDATION_ERROR", `A checklist needs 1 to ${MAX_ITEMS} items.`);
    }
    const nextVersion = template.currentVersion + 1;
    const usedKeys = new Set<string>();
    const known = new Map(previous.items.map((item) => [item.key, item]));
    const cleanItems: TemplateItem[] = items.map((item, index) => {
      let key = item.key;
      if (key !== undefined && (!known.has(key) || usedKeys.has(key))) {
        throw appError(
          "VALIDATION_ERROR",
          `Item ${index + 1} refers to an item this template does not have.`,
        );
      }
      if (key === undefined) {
        let suffix = index + 1;
        do key = `v${nextVersion}-item-${suffix++}`;
        while (usedKeys.has(key) || known.has(key));
      }
      usedKeys.add(key);
      const help = item.help?.trim()
        ? checkText(item.help, `The help text of item ${index + 1}`, MAX_HELP)
        : undefined;
      return {
        key,
        text: checkText(item.text, `Item ${index + 1}`, MAX_ITEM_TEXT),
        ...(help === undefined ? {} : { help }),
        ...(item.link?.trim() ? { link: checkOptionalUrl(item.link, `The link of item ${index + 1}`)! } : {}),
        ...(item.evidence === undefined ? {} : { evidence: item.evidence }),
      };
    });
    const added = cleanItems.filter((item) => !known.has(item.key)).length;
    const retired = previous.items.filter((item) => !usedKeys.has(item.key)).length;
    const reworded = cleanItems.filter((item) => {
      const before = known.get(item.key);
      return (
        before !== undefined &&
        (before.text !== item.text ||
          before.help !== item.help ||
          before.link !== item.link ||
          before.evidence !== item.evidence)
      );
    }).length;
    const keptOrder = previous.items.map((item) => item.key).filter((key) => usedKeys.has(key));
    const reordered = cleanItems
      .map((item) => item.key)
      .filter((key) => known.has(key))
      .some((key, index) => keptOrder[index] !== key);
    const changed =
      added + retired + reworded > 0 ||
      reordered ||
      cleanTitle !== template.title ||
      cleanDescription !== template.description;
    if (!changed) throw appError("VALIDATION_ERROR", "Nothing changed: there is no new version to save.");

    await ctx.db.insert("runbookTemplateVersions", {
      templateId,
      version: nextVersion,
      title: cleanTitle,
      items: cleanItems,
      createdAt: Date.now(),
      createdBy: ctx.user.email,
    });
    await ctx.db.patch("runbookTemplates", templateId, {
      title: cleanTitle,
      description: cleanDescription,
      currentVersion: nextVersion,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "runbook.template_edited",
      target: template.slug,
      details: { version: nextVersion, added, retired, reworded, reordered },
    });
    return nextVersion;
  },
});
