import { anonymousQuery, viewerQuery } from "../lib/functions";

/** The signed-in operator: what the shell shows and which pages the navigation offers. */
export const me = viewerQuery({
  args: {},
  handler: async (ctx) => ({
    _id: ctx.user._id,
    email: ctx.user.email,
    name: ctx.user.name ?? null,
    role: ctx.user.role,
  }),
});

/** Lets the sign-up screen say whether this account will be the first admin or needs an invite. */
export const bootstrapStatus = anonymousQuery({
  args: {},
  handler: async (ctx) => ({
    needsFirstAdmin: (await ctx.db.query("users").first()) === null,
  }),
});
