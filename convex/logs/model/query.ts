/**
 * The Logs page's query language: the seeds' operations-guide queries verbatim
 * (`level:error timestamp:>-1h`, `message:"Slow query detected"`, `function:"tasks.list" level:error`,
 * `dbCalls:>50`), Lucene-style. `field:value`, `field:"phrase"`, `field:>N` (>=, <, <=) on numbers,
 * durations and times, AND / OR / NOT / `-term`, parentheses, bare words and phrases as message text.
 * Adjacent terms are ANDed; AND binds tighter than OR. Times are resolved against `now` here, so the
 * tree is plain data the planner and matcher share with the browser.
 */

export type Comparison = "=" | ">" | ">=" | "<" | "<=";

/** How a field's value is read and compared. */
type FieldKind = "text" | "keyword" | "function" | "number" | "duration" | "time" | "boolean";

/** Canonical field names: the columns of a stored log row they compare. */
export type FieldName =
  | "level"
  | "message"
  | "function"
  | "type"
  | "kind"
  | "status"
  | "code"
  | "requestId"
  | "correlationId"
  | "deployment"
  | "duration"
  | "dbCalls"
  | "docsScanned"
  | "docsWritten"
  | "cached"
  | "timestamp";

const FIELDS: Record<FieldName, { kind: FieldKind; aliases: string[] }> = {
  level: { kind: "keyword", aliases: [] },
  message: { kind: "text", aliases: ["msg", "text"] },
  function: { kind: "function", aliases: ["fn", "path"] },
  type: { kind: "keyword", aliases: ["functionType"] },
  kind: { kind: "keyword", aliases: ["event"] },
  status: { kind: "keyword", aliases: [] },
  code: { kind: "keyword", aliases: ["errorCode", "error"] },
  requestId: { kind: "keyword", aliases: ["request", "request_id"] },
  correlationId: { kind: "keyword", aliases: ["correlation"] },
  deployment: { kind: "keyword", aliases: [] },
  duration: { kind: "duration", aliases: ["durationMs", "executionTime"] },
  dbCalls: { kind: "number", aliases: [] },
  docsScanned: { kind: "number", aliases: ["documentsRead", "docsRead", "readDocuments"] },
  docsWritten: { kind: "number", aliases: ["documentsWritten", "writeDocuments"] },
  cached: { kind: "boolean", aliases: [] },
  timestamp: { kind: "time", aliases: ["time", "ts"] },
};

const FIELD_BY_NAME = new Map<string, FieldName>(
  (Object.keys(FIELDS) as FieldName[]).flatMap((name) =>
    [name, ...FIELDS[name].aliases].map((alias) => [alias.toLowerCase(), name] as const),
  ),
);

/** Every field and its aliases, for the syntax help and the error that lists them. */
export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];

/**
 * A function as the user may spell it: Convex's `tasks:list` (or `tasks/admin:list`) or the seeds'
 * instrumented `tasks.list`; `tasks.*` / `tasks:*` is every function of the module. `exact` is the
 * Convex path; `prefix` is the module, matched as `prefix:` or `prefix/`.
 */
export type FunctionValue = { exact: string } | { module: string };

export type TextValue = { words: string[]; phrase: boolean };

export type FieldTerm =
  | { field: "message"; op: "="; value: TextValue }
  | { field: "function"; op: "="; value: FunctionValue }
  | { field: Exclude<FieldName, "message" | "function" | "cached">; op: Comparison; value: string | number }
  | { field: "cached"; op: "="; value: boolean };

export type QueryNode =
  | { kind: "and"; items: QueryNode[] }
  | { kind: "or"; items: QueryNode[] }
  | { kind: "not"; item: QueryNode }
  | ({ kind: "field"; column: number } & FieldTerm)
  | { kind: "text"; column: number; value: TextValue };

export class QueryError extends Error {
  /** 1-based column in the query where the problem starts, and how many characters it spans. */
  constructor(
    message: string,
    readonly column: number,
    readonly length = 1,
  ) {
    super(message);
    this.name = "QueryError";
  }
}

/** `Tasks.List: not found!` → ["tasks", "list", "not", "found"]: the words text search compares. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

type Token =
  | { type: "lparen" | "rparen"; column: number; length: number }
  | { type: "word"; text: string; column: number; length: number }
  | { type: "phrase"; text: string; column: number; length: number }
  /** `field:value` with the value still raw; `quoted` when the value was a "phrase". */
  | { type: "term"; field: string; raw: string; quoted: boolean; negated: boolean; column: number; length: number };

function readPhrase(input: string, start: number): { text: string; end: number } {
  let index = start + 1;
  let text = "";
  while (index < input.length && input[index] !== '"') {
    if (input[index] === "\\" && index + 1 < input.length) index++;
    text += input[index];
    index++;
  }
  if (index >= input.length) {
    throw new QueryError("This quote is never closed: add a closing \".", start + 1, input.length - start);
  }
  return { text, end: index + 1 };
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < input.length) {
    const char = input[index]!;
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (char === "(" || char === ")") {
      tokens.push({ type: char === "(" ? "lparen" : "rparen", column: index + 1, length: 1 });
      index++;
      continue;
    }
    if (char === '"') {
      const { text, end } = readPhrase(input, index);
      tokens.push({ type: "phrase", text, column: index + 1, length: end - index });
      index = end;
      continue;
    }
    const start = index;
    while (index < input.length && !/[\s()"]/.test(input[index]!)) index++;
    const word = input.slice(start, index);
    const colon = word.indexOf(":");
    const negated = word.startsWith("-") && word.length > 1;
    const body = negated ? word.slice(1) : word;
    const bodyColon = negated ? colon - 1 : colon;
    // `tasks:list` as a bare word is a function name, not a field: only known field names start a term.
    if (bodyColon > 0 && FIELD_BY_NAME.has(body.slice(0, bodyColon).toLowerCase())) {
      const field = body.slice(0, bodyColon);
      let raw = body.slice(bodyColon + 1);
      let quoted = false;
      if (raw === "" && input[index] === '"') {
        const phrase = readPhrase(input, index);
        raw = phrase.text;
        quoted = true;
        index = phrase.end;
      } else if (/^(>=|<=|>|<)$/.test(raw) && input[index] === '"') {
        const phrase = readPhrase(input, index);
        raw += phrase.text;
        index = phrase.end;
      }
      tokens.push({ type: "term", field, raw, quoted, negated, column: start + 1, length: index - start });
      continue;
    }
    if (bodyColon >= 0) {
      const name = body.slice(0, bodyColon);
      throw new QueryError(
        name === ""
          ? `"${word}" has no field name before the colon.`
          : `"${name}" is not a field. Fields: ${FIELD_NAMES.join(", ")}. A function is function:${body}.`,
        start + (negated ? 2 : 1),
        Math.max(name.length, 1),
      );
    }
    tokens.push({ type: "word", text: word, column: start + 1, length: word.length });
  }
  return tokens;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `250ms`, `1.5s`, `2m`, `1h`, `3d`; a bare number is milliseconds. Null if it is none of these. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/i.exec(text);
  if (match === null) return null;
  return Number(match[1]) * DURATION_UNITS[(match[2] ?? "ms").toLowerCase()]!;
}

/**
 * `-1h`, `-15m`, `now`, or an absolute `2026-12-01`, `2026-12-01T10:00`, `2026-12-01T10:00:30Z`.
 * An absolute time without a zone is UTC, like every time the console shows.
 */
export function parseTime(text: string, now: number): number | null {
  if (text.toLowerCase() === "now") return now;
  const relative = /^-(\d+(?:\.\d+)?(?:ms|s|m|h|d))$/i.exec(text);
  if (relative !== null) {
    const span = parseDuration(relative[1]!);
    return span === null ? null : now - span;
  }
  const absolute = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(
    text,
  );
  if (absolute === null) return null;
  const iso = `${absolute[1]}-${absolute[2]}-${absolute[3]}T${absolute[4] ?? "00"}:${absolute[5] ?? "00"}:${
    absolute[6] ?? "00"
  }.${(absolute[7] ?? "0").padEnd(3, "0")}${absolute[8] ?? "Z"}`;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

/** Convex's own spelling of a function path from either spelling a user types. */
export function canonicalFunction(text: string): FunctionValue {
  const wildcard = /^(.+?)[.:]\*$/.exec(text);
  if (wildcard !== null) return { module: wildcard[1]!.replace(/\./g, "/") };
  if (text.includes(":")) return { exact: text };
  const lastDot = text.lastIndexOf(".");
  if (lastDot <= 0) return { exact: text };
  return { exact: `${text.slice(0, lastDot).replace(/\./g, "/")}:${text.slice(lastDot + 1)}` };
}

const LEVEL_ALIASES: Record<string, string> = { warning: "warn", err: "error", information: "info" };

function fieldTerm(token: Extract<Token, { type: "term" }>, now: number): QueryNode {
  const field = FIELD_BY_NAME.get(token.field.toLowerCase())!;
  const kind = FIELDS[field].kind;
  const valueColumn = token.column + (token.negated ? 1 : 0) + token.field.length + 1;
  const comparison = /^(>=|<=|>|<)/.exec(token.raw);
  const op = (comparison?.[1] ?? "=") as Comparison;
  const raw = token.raw.slice(comparison?.[1]?.length ?? 0);
  const where = valueColumn + (comparison?.[1]?.length ?? 0);
  if (raw === "") {
    throw new QueryError(`${token.field}: needs a value after the colon.`, valueColumn, 1);
  }
  const refuseComparison = () => {
    if (op !== "=") {
      throw new QueryError(`${token.field} cannot be compared with ${op}: give a value to match.`, valueColumn, op.length);
    }
  };
  let term: FieldTerm;
  switch (kind) {
    case "text":
      refuseComparison();
      term = { field: "message", op: "=", value: { words: wordsOf(raw), phrase: token.quoted } };
      if (term.value.words.length === 0) {
        throw new QueryError(`${token.field}: "${raw}" has no letters or digits to search for.`, where, raw.length);
      }
      break;
    case "function":
      refuseComparison();
      term = { field: "function", op: "=", value: canonicalFunction(raw) };
      break;
    case "boolean": {
      refuseComparison();
      const lower = raw.toLowerCase();
      if (lower !== "true" && lower !== "false") {
        throw new QueryError(`cached: is true or false, not "${raw}".`, where, raw.length);
      }
      term = { field: "cached", op: "=", value: lower === "true" };
      break;
    }
    case "number": {
      const number = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(number)) {
        throw new QueryError(`${token.field}: "${raw}" is not a number.`, where, raw.length);
      }
      term = { field: field as "dbCalls", op, value: number };
      break;
    }
    case "duration": {
      const ms = parseDuration(raw);
      if (ms === null) {
        throw new QueryError(`${token.field}: "${raw}" is not a duration (like 250ms, 1.5s or 2m).`, where, raw.length);
      }
      term = { field: "duration", op, value: ms };
      break;
    }
    case "time": {
      if (op === "=") {
        throw new QueryError(
          `${token.field}: compare a time with > or < (like ${token.field}:>-1h).`,
          valueColumn,
          raw.length,
        );
      }
      const ms = parseTime(raw, now);
      if (ms === null) {
        throw new QueryError(
          `${token.field}: "${raw}" is not a time (like -15m, -1h or 2026-12-01T10:00).`,
          where,
          raw.length,
        );
      }
      term = { field: "timestamp", op, value: ms };
      break;
    }
    case "keyword": {
      refuseComparison();
      let value = raw;
      if (field === "level") value = LEVEL_ALIASES[raw.toLowerCase()] ?? raw.toLowerCase();
      else if (field === "code") value = raw.toUpperCase();
      else if (field === "status" || field === "type" || field === "kind") value = raw.toLowerCase();
      term = { field: field as "level", op: "=", value };
      break;
    }
  }
  const node: QueryNode = { kind: "field", column: token.column, ...term };
  return token.negated ? { kind: "not", item: node } : node;
}

/** Parses a query; an empty one matches everything. Throws QueryError saying where and why. */
export function parseQuery(input: string, now: number): QueryNode {
  if (input.length > MAX_QUERY_LENGTH) {
    throw new QueryError(`The query is longer than ${MAX_QUERY_LENGTH} characters.`, MAX_QUERY_LENGTH + 1);
  }
  const tokens = tokenize(input);
  let position = 0;
  const peek = () => tokens[position];
  const isKeyword = (token: Token | undefined, keyword: string) => token?.type === "word" && token.text === keyword;

  const parseOr = (): QueryNode => {
    const items = [parseAnd()];
    while (isKeyword(peek(), "OR")) {
      const or = tokens[position++]!;
      if (peek() === undefined || peek()!.type === "rparen") {
        throw new QueryError("OR needs a term after it.", or.column, or.length);
      }
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: "or", items };
  };
  const parseAnd = (): QueryNode => {
    const items = [parseUnary()];
    for (;;) {
      const next = peek();
      if (next === undefined || next.type === "rparen" || isKeyword(next, "OR")) break;
      if (isKeyword(next, "AND")) {
        position++;
        if (peek() === undefined || peek()!.type === "rparen" || isKeyword(peek(), "OR")) {
          throw new QueryError("AND needs a term after it.", next.column, next.length);
        }
      }
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0]! : { kind: "and", items };
  };
  const parseUnary = (): QueryNode => {
    const token = peek();
    if (isKeyword(token, "NOT")) {
      position++;
      if (peek() === undefined || peek()!.type === "rparen") {
        throw new QueryError("NOT needs a term after it.", token!.column, token!.length);
      }
      return { kind: "not", item: parseUnary() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): QueryNode => {
    const token = tokens[position++];
    if (token === undefined) throw new QueryError("The query ends where a term was expected.", input.length + 1);
    switch (token.type) {
      case "lparen": {
        if (peek()?.type === "rparen") throw new QueryError("These parentheses are empty.", token.column, 2);
        const inner = parseOr();
        const close = tokens[position++];
        if (close?.type !== "rparen") {
          throw new QueryError("This parenthesis is never closed: add a ).", token.column);
        }
        return inner;
      }
      case "rparen":
        throw new QueryError("This ) closes nothing.", token.column);
      case "term":
        return fieldTerm(token, now);
      case "phrase": {
        const words = wordsOf(token.text);
        if (words.length === 0) throw new QueryError("This phrase has no words to search for.", token.column, token.length);
        return { kind: "text", column: token.column, value: { words, phrase: true } };
      }
      case "word": {
        if (token.text === "AND" || token.text === "OR") {
          throw new QueryError(`${token.text} needs a term before it.`, token.column, token.length);
        }
        if (token.text.startsWith("-") && token.text.length > 1) {
          return { kind: "not", item: bareWord(token.text.slice(1), token.column + 1) };
        }
        return bareWord(token.text, token.column);
      }
    }
  };

  if (tokens.length === 0) return { kind: "and", items: [] };
  const tree = parseOr();
  const rest = peek();
  if (rest !== undefined) {
    throw new QueryError(rest.type === "rparen" ? "This ) closes nothing." : "Unexpected term here.", rest.column, rest.length);
  }
  return tree;
}

function bareWord(text: string, column: number): QueryNode {
  const words = wordsOf(text);
  if (words.length === 0) {
    throw new QueryError(`"${text}" has no letters or digits to search for.`, column, text.length);
  }
  return { kind: "text", column, value: { words, phrase: words.length > 1 } };
}

export const MAX_QUERY_LENGTH = 1000;
