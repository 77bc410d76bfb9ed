import { describe, expect, it } from "vitest";
import { fakeId } from "@/test/fakeConvex";
import {
  collectPages,
  countLabel,
  hasFilters,
  taskListArgs,
  tasksCsv,
  visibleSelection,
  type TaskRow,
} from "./Tasks.utils";
import { parseTasksSearch } from "./search";

const row = (id: string, overrides: Partial<TaskRow> = {}): TaskRow => ({
  _id: fakeId("tasks", id),
  _creationTime: 0,
  text: "Rotate keys",
  completed: false,
  userId: fakeId("users", "u1"),
  priority: "high",
  createdAt: Date.UTC(2026, 10, 24, 9),
  owner: "ada@example.com",
  ...overrides,
});

describe("tasks search", () => {
  it("keeps known values, drops malformed ones, and never reads a `code` param", () => {
    expect(
      parseTasksSearch({
        state: "done",
        priority: "urgent",
        owner: " ada@example.com ",
        q: "",
        code: "x",
        order: "oldest",
      }),
    ).toEqual({
      state: "done",
      priority: undefined,
      owner: "ada@example.com",
      q: undefined,
      order: "oldest",
    });
  });

  it("maps the URL to the list's args", () => {
    expect(taskListArgs({ q: "keys", state: "open" })).toEqual({
      state: "open",
      priority: undefined,
      owner: undefined,
      text: "keys",
      order: undefined,
    });
    expect(hasFilters({ order: "oldest" })).toBe(false);
    expect(hasFilters({ owner: "a@b.c" })).toBe(true);
  });
});

describe("tasks view logic", () => {
  it("shows a capped count as a floor", () => {
    expect(countLabel(1001, 1000)).toBe("1,000+");
    expect(countLabel(999, 1000)).toBe("999");
  });

  it("exports the rows as CSV with state words and ISO times", () => {
    expect(tasksCsv([row("t1", { text: "a, b", completed: true })])).toBe(
      'id,text,state,priority,owner,createdAt\r\nt1,"a, b",done,high,ada@example.com,2026-11-24T09:00:00.000Z\r\n',
    );
  });

  it("keeps only selected rows that are still shown", () => {
    expect(visibleSelection(new Set(["t1", "gone"]), [row("t1"), row("t2")])).toEqual(["t1"]);
  });
});

describe("export of the filtered set", () => {
  const pages = (sizes: number[]) => {
    const cursors: Array<string | null> = [];
    const fetchPage = async (cursor: string | null) => {
      cursors.push(cursor);
      const index = cursor === null ? 0 : Number(cursor);
      return {
        page: Array.from({ length: sizes[index]! }, (_, n) => `${index}.${n}`),
        isDone: index === sizes.length - 1,
        continueCursor: String(index + 1),
      };
    };
    return { fetchPage, cursors };
  };

  it("follows the cursors until the set ends", async () => {
    const { fetchPage, cursors } = pages([2, 2, 1]);
    expect(await collectPages(fetchPage, 100)).toEqual({
      rows: ["0.0", "0.1", "1.0", "1.1", "2.0"],
      complete: true,
    });
    expect(cursors).toEqual([null, "1", "2"]);
  });

  it("stops reading at the cap and says the export is cut", async () => {
    const { fetchPage, cursors } = pages([2, 2, 2, 2]);
    expect(await collectPages(fetchPage, 3)).toEqual({ rows: ["0.0", "0.1", "1.0"], complete: false });
    expect(cursors).toEqual([null, "1"]);
  });
});
