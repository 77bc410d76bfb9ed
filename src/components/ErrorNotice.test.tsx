import { render, screen, within } from "@testing-library/react";
import { ConvexError } from "convex/values";
import { describe, expect, it } from "vitest";
import { ErrorNotice } from "./ErrorNotice";

describe("error notice", () => {
  it("says what a server code means in a sentence, with the raw code only as a small reference", () => {
    render(
      <ErrorNotice
        title="Not removed"
        error={
          new ConvexError({
            code: "LAST_ADMIN",
            message: "bob@example.com is the last admin and cannot be removed.",
          })
        }
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Not removed");
    expect(alert).toHaveTextContent("bob@example.com is the last admin and cannot be removed.");
    expect(alert).toHaveTextContent("The console always keeps one admin: make someone else admin first.");
    expect(within(alert).getByText("Not removed")).not.toHaveTextContent("LAST_ADMIN");
    expect(within(alert).getByText("Error code")).toHaveClass("notice-code");
    expect(alert).toHaveAttribute("data-error-code", "LAST_ADMIN");
  });

  it("explains a lost connection in words", () => {
    render(<ErrorNotice error={new TypeError("Failed to fetch")} />);
    expect(screen.getByRole("alert")).toHaveTextContent("The backend could not be reached");
    expect(screen.getByRole("alert")).toHaveTextContent("check the connection, then try again");
  });
});
