import { describe, expect, it } from "vitest";
import { fileStamp, toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes separators, quotes and newlines and leaves empty cells for missing values", () => {
    expect(
      toCsv(
        ["a", "b", "c"],
        [
          ["x,y", 'say "hi"', null],
          ["line\nbreak", 3, undefined],
        ],
      ),
    ).toBe('a,b,c\r\n"x,y","say ""hi""",\r\n"line\nbreak",3,\r\n');
  });

  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(toCsv(["v"], [["=HYPERLINK(1)"], ["-2+3"]])).toBe("v\r\n'=HYPERLINK(1)\r\n'-2+3\r\n");
  });

  it("name export files by the second, without colons", () => {
    expect(fileStamp(new Date(Date.UTC(2026, 10, 24, 9, 5, 7, 999)))).toBe("2026-11-24T090507");
  });
});
