import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { FilterBar, type FilterField } from "./FilterBar";

function fields(fn: string, minMs: string): FilterField[] {
  return [
    { name: "fn", label: "Function", value: fn, type: "search" },
    { name: "minMs", label: "Minimum duration (ms)", value: minMs, type: "number" },
  ];
}

describe("filter bar", () => {
  it("applies typed filters only on Apply or Enter, trimmed, with an emptied field as no filter", async () => {
    const onApply = vi.fn();
    const user = userEvent.setup();
    render(
      <FilterBar
        label="Filter calls"
        fields={fields("orders:get", "")}
        onApply={onApply}
        filtered
        onClear={vi.fn()}
      />,
    );
    const fn = screen.getByLabelText("Function");
    await user.clear(fn);
    await user.paste("  tasks:list ");
    await user.click(screen.getByLabelText("Minimum duration (ms)"));
    await user.paste("250");
    expect(onApply).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(onApply).toHaveBeenLastCalledWith({ fn: "tasks:list", minMs: "250" });

    await user.clear(fn);
    await user.clear(screen.getByLabelText("Minimum duration (ms)"));
    await user.type(fn, "{Enter}");
    expect(onApply).toHaveBeenLastCalledWith({ fn: undefined, minMs: undefined });
  });

  it("follows the URL when it changes from outside (back button, a pasted link), replacing a stale draft", async () => {
    const user = userEvent.setup();
    const props = { label: "Filter calls", onApply: vi.fn(), filtered: true, onClear: vi.fn() };
    const { rerender } = render(<FilterBar {...props} fields={fields("orders:get", "")} />);
    await user.click(screen.getByLabelText("Function"));
    await user.paste("-draft");
    rerender(<FilterBar {...props} fields={fields("orders:get", "")} />);
    expect(screen.getByLabelText("Function")).toHaveValue("orders:get-draft");
    rerender(<FilterBar {...props} fields={fields("tasks:list", "100")} />);
    expect(screen.getByLabelText("Function")).toHaveValue("tasks:list");
    expect(screen.getByLabelText("Minimum duration (ms)")).toHaveValue(100);
  });

  it("offers Clear filters only while a filter is set, and shows the choices between Apply and it", async () => {
    const onClear = vi.fn();
    const user = userEvent.setup();
    const props = { label: "Filter calls", fields: fields("", ""), onApply: vi.fn(), onClear };
    const { rerender } = render(
      <FilterBar {...props} filtered={false}>
        <button type="button">A choice</button>
      </FilterBar>,
    );
    expect(screen.getByRole("search", { name: "Filter calls" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Clear filters" })).not.toBeInTheDocument();
    rerender(
      <FilterBar {...props} filtered>
        <button type="button">A choice</button>
      </FilterBar>,
    );
    const buttons = screen.getAllByRole("button").map((button) => button.textContent);
    expect(buttons).toEqual(["Apply", "A choice", "Clear filters"]);
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(onClear).toHaveBeenCalledOnce();
  });
});
