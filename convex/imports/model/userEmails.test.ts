import { v } from "convex/values";
import { describe, expect, test } from "vitest";
import schema from "../../schema";
import { readCsv, readJsonLines } from "./records";
import { csvAsJsonLines, rowsAsJsonLines, typeCell, typeRowBySchema } from "./schemaTyping";
import { previewImport } from "./preview";
import {
  EmailResolution,
  emailIn,
  resolvedSentence,
  USER_EMAILS_PER_FILE,
  userEmailsIn,
  userIdFields,
} from "./userEmails";
import { validatorJson } from "./validate";

const tasksValidator = validatorJson(schema.tables.tasks.validator);
const HEADER = "text,completed,userId,priority,createdAt\n";

async function* chunked(text: string) {
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0; offset < bytes.length; offset += 7) yield bytes.slice(offset, offset + 7);
}

describe("emails in user-id cells", () => {
  test("a cell with @ is an email, normalized; an id or an empty cell is not", () => {
    expect(emailIn(" Ann@Example.com ")).toBe("ann@example.com");
    expect(emailIn("k17abc")).toBeNull();
    expect(emailIn("")).toBeNull();
    expect(userIdFields(tasksValidator)).toEqual(["userId"]);
  });

  test("an email in a v.id('users') field becomes the user's id; an unknown one says so; other ids are left alone", () => {
    const emails = new EmailResolution(new Map([["ann@example.com", "u1"]]));
    const users = { fieldType: validatorJson(v.id("users")), optional: false };
    expect(typeCell(users, "ANN@example.com", emails)).toEqual({ value: "u1" });
    expect(typeCell(users, "bob@example.com", emails)).toEqual({
      problem: "no user has the email bob@example.com.",
    });
    expect(typeCell(users, "k17abc", emails)).toEqual({ value: "k17abc" });
    const tasks = { fieldType: validatorJson(v.id("tasks")), optional: false };
    expect(typeCell(tasks, "ann@example.com", emails)).toEqual({ value: "ann@example.com" });
    expect({ cells: emails.cells, users: emails.users.size }).toEqual({ cells: 1, users: 1 });
  });

  test("a row with an unknown email is invalid with its reason", () => {
    const emails = new EmailResolution(new Map());
    const cells = { text: "a", completed: "false", userId: "x@y.io", priority: "low", createdAt: "1" };
    expect(typeRowBySchema(tasksValidator, { line: 4, value: {}, cells }, emails)).toMatchObject({
      line: 4,
      error: "Column `userId`: no user has the email x@y.io.",
    });
  });

  test("collects the distinct emails of the user columns, and refuses past the bound with a sentence", async () => {
    const rows = `${HEADER}a,false,ann@example.com,low,1\nb,false,ANN@example.com,low,1\nc,false,k1,low,1\nd,false,bob@example.com,low,1\n`;
    const notes = { bomStripped: false, header: null };
    expect([...(await userEmailsIn(readCsv(chunked(rows), notes), tasksValidator))]).toEqual([
      "ann@example.com",
      "bob@example.com",
    ]);
    const many =
      HEADER +
      Array.from(
        { length: USER_EMAILS_PER_FILE + 1 },
        (_, index) => `t,false,u${index}@example.com,low,1\n`,
      ).join("");
    await expect(
      userEmailsIn(readCsv(chunked(many), { bomStripped: false, header: null }), tasksValidator),
    ).rejects.toThrow(/more than 1,000 distinct emails/);
  });

  test("the schema-typed preview resolves emails, says how many, and lists an unknown one as an invalid line", async () => {
    const file = `${HEADER}a,false,ann@example.com,low,1\nb,true,Ann@Example.com,high,2\nc,false,x@y.io,low,3\n`;
    const preview = await previewImport(chunked(file), {
      format: "csv",
      tableValidator: tasksValidator,
      userIds: new Map([["ann@example.com", "u1"]]),
    });
    expect(preview.typedBySchema).toMatchObject({
      rows: 3,
      validRows: 2,
      invalidLines: [{ line: 4, reason: "Column `userId`: no user has the email x@y.io." }],
    });
    expect(preview.typedBySchema?.warnings[0]).toBe(
      "2 emails in user columns resolved to the ids of 1 user; the ids are what is sent.",
    );
    expect(preview.typedBySchema?.firstRows[0]).toContain('"userId":"u1"');
  });

  test("the CSV sent as JSON Lines carries the resolved ids", async () => {
    const file = `${HEADER}a,false,ann@example.com,low,1\n`;
    let out = "";
    for await (const line of csvAsJsonLines(
      chunked(file),
      tasksValidator,
      new Map([["ann@example.com", "u1"]]),
    ))
      out += new TextDecoder().decode(line);
    expect(JSON.parse(out)).toMatchObject({ userId: "u1" });
  });

  test("the sentence counts cells and users, and is absent when nothing was resolved", () => {
    expect(resolvedSentence(0, 0)).toBeNull();
    expect(resolvedSentence(1, 1)).toBe(
      "1 email in user columns resolved to the ids of 1 user; the ids are what is sent.",
    );
  });
});

describe("a row sent with ids for its emails", () => {
  const owned = validatorJson(v.object({ owner: v.id("users"), n: v.number(), note: v.string() }));
  const ids = new Map([["ann@example.com", "k17users"]]);
  const sent = async (chunks: AsyncIterable<Uint8Array>, reader: "csv" | "jsonLines") => {
    const notes = { bomStripped: false, header: null };
    const rows = reader === "csv" ? readCsv(chunks, notes) : readJsonLines(chunks, notes);
    let text = "";
    for await (const line of rowsAsJsonLines(rows, owned, ids)) text += new TextDecoder().decode(line);
    return text;
  };

  test("a JSON row keeps its text but for the email: 1.0 stays 1.0 (export JSON tells a float by it)", async () => {
    const text =
      '{"n":1.0, "owner" : "Ann@Example.com","note":"ann@example.com"}\n{"owner":"k9users","n":2}\n';
    expect(await sent(chunked(text), "jsonLines")).toBe(
      '{"n":1.0, "owner":"k17users","note":"ann@example.com"}\n{"owner":"k9users","n":2}\n',
    );
  });

  test("a CSV row goes out as the values Convex's CSV rule gives its cells", async () => {
    expect(await sent(chunked("owner,n,note\nann@example.com,1.5,x\nk9users,2,0012\n"), "csv")).toBe(
      '{"n":1.5,"note":"x","owner":"k17users"}\n{"n":2,"note":12,"owner":"k9users"}\n',
    );
  });

  test("an email it cannot replace in place stops the send with a sentence", async () => {
    const text = '{"owner":"ann@example.com","n":1,"copy":{"owner":"ann@example.com"}}\n';
    await expect(sent(chunked(text), "jsonLines")).rejects.toThrow(/cannot be replaced in place/);
  });
});
