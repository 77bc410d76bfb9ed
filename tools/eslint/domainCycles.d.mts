import type { ESLint } from "eslint";

export type DomainGraph = Map<string, Set<string>>;

export function domainOf(file: string, convexDir: string): string | null;
export function importSpecifiers(source: string): string[];
export function buildDomainGraph(files: { file: string; source: string }[], convexDir: string): DomainGraph;
export function cycleThrough(graph: DomainGraph, from: string, to: string): string | null;

declare const plugin: ESLint.Plugin;
export default plugin;
