/**
 * The two SQL dialects the SQL target writes: DuckDB and PostgreSQL. Everything that differs
 * between them (quoting, type names, function names, collations, arrays, JSON) lives here, so
 * the emitter itself is one piece of code for both.
 *
 * Safety: user text reaches the SQL only through {@link SqlDialect.identifier} (double quotes,
 * `"` doubled) and {@link SqlDialect.text} (single quotes, `'` doubled; PostgreSQL strings with
 * a backslash are written as `E'...'` with the backslash doubled, which reads the same whatever
 * `standard_conforming_strings` says; DuckDB writes NUL as `chr(0)`). Nothing else is ever
 * spliced in: numbers go through {@link SqlDialect.number}, internal names are fixed ASCII.
 */
import { hasLoneSurrogate } from '../../syntax/well-formed.js';

/** A problem that makes a rule file, a mapping or an option impossible to emit as SQL. */
export class SqlEmitError extends Error {
  override readonly name = 'SqlEmitError';
  /** What to do about it, when there is something to say. */
  readonly help: string | undefined;

  constructor(message: string, help?: string) {
    super(message);
    this.help = help;
  }
}

/** The SQL dialects `emitSql` writes. */
export type SqlDialectName = 'duckdb' | 'postgres';

export const SQL_DIALECTS: readonly SqlDialectName[] = ['duckdb', 'postgres'];

export { hasLoneSurrogate };

/** The dialect-specific pieces of SQL. Arguments are SQL expressions (already safe). */
export interface SqlDialect {
  readonly name: SqlDialectName;
  readonly textType: string;
  readonly doubleType: string;
  /** Longest identifier the engine keeps whole (PostgreSQL truncates at 63 bytes). */
  readonly maxIdentifierBytes: number;
  /**
   * Ends each CTE's SELECT so the planner keeps it as a step (PostgreSQL would otherwise pull
   * every step into the next and copy each expression into all its uses, exponentially).
   */
  readonly stepFence: string;
  /** Identifiers compare case-insensitively (DuckDB matches quoted names ignoring case). */
  readonly caseInsensitiveIdentifiers: boolean;

  /** A quoted identifier. Throws {@link SqlEmitError} for names no SQL engine can hold. */
  identifier(name: string): string;
  /**
   * The name a table or column of the data has in this engine: PostgreSQL keeps the first 63
   * bytes of a longer name (cut between characters), when it creates the table and in every
   * query alike, so a query naming the whole name reads the cut one; DuckDB keeps names whole.
   */
  storedName(name: string): string;
  /** Whether a text value can exist in this engine's data (UTF-8, and no NUL in PostgreSQL). */
  canHold(value: string): boolean;
  /** A string literal whose value is exactly `value` (must satisfy {@link canHold}). */
  text(value: string): string;
  /** An exact numeric literal: an integer, or the double `value` (read back bit for bit). */
  number(value: number): string;
  /** `value` compared byte for byte (no case- or accent-insensitive collation). */
  binary(expression: string): string;
  /** Whether the whole of `expression` matches `pattern` (a POSIX/RE2-compatible subset). */
  fullMatch(expression: string, pattern: string): string;
  /** Whether `expression` starts with a match of `pattern`. */
  prefixMatch(expression: string, pattern: string): string;
  /** Integer division of non-negative integers (truncating). */
  divide(dividend: string, divisor: string): string;
  /** Number of characters (code points). */
  length(expression: string): string;
  /** Whether the text is pure ASCII (one byte per character). */
  isAscii(expression: string): string;
  /** Trims the characters of `characters` (an expression) at both ends. */
  trim(expression: string, characters: string): string;
  /** ASCII A–Z to a–z, nothing else; only used on text {@link isAscii} accepted. */
  asciiLower(expression: string): string;
  /** Text split into its characters, as a list/array expression. */
  characters(expression: string): string;
  /** Maps each element of `list` through `body(element)`, keeping the order. */
  mapList(list: string, body: (element: string) => string, variable: string): string;
  /** The list's elements joined into one text (a list of characters into a string). */
  joinList(list: string): string;
  /** Elements of `list` for which `keep(element)` holds, in order. */
  filterList(list: string, keep: (element: string) => string, variable: string): string;
  /** The 1-based position of `value` in `list`, or NULL. */
  listPosition(list: string, value: string): string;
  /** Element `index` (1-based) of `list`, or NULL. */
  listElement(list: string, index: string): string;
  /** Number of elements of a list. */
  listLength(list: string): string;
  /** Whether any element of a list is NULL. */
  listHasNull(list: string): string;
  /** A list literal of text values (each already a safe literal). */
  textList(literals: readonly string[]): string;
  /** Whether a list shares an element with a literal list. */
  listHasAny(list: string, literals: readonly string[]): string;
  /** The text split on every match of `pattern`. */
  splitText(expression: string, pattern: string): string;
  startsWith(expression: string, literal: string): string;
  endsWith(expression: string, literal: string): string;
  contains(expression: string, literal: string): string;
  castText(expression: string): string;
  castDouble(expression: string): string;
  castTextList(expression: string): string;
  /** Integer milliseconds of a timestamp, timestamptz or date value (floor), NULL when infinite. */
  timestampMillis(expression: string): string;
  /** A finite double, or NULL for NaN and infinities. */
  finiteDouble(expression: string): string;
  /** The JSON value of a column (parsed from text when needed). */
  castJson(expression: string): string;
  jsonString(json: string): string;
  jsonIsNumber(json: string): string;
  jsonNumberText(json: string): string;
  jsonNumber(json: string): string;
  jsonIsBoolean(json: string): string;
  jsonBoolean(json: string): string;
  /** A non-empty array of strings as a text list; NULL for anything else. */
  jsonTextList(json: string): string;
  /** The current time as epoch milliseconds. */
  currentMillis(): string;
  /** The `now` bind parameter, epoch milliseconds. */
  nowParameter(): string;
  /** Leading characters of the text that are digits (possibly empty). */
  leadingDigits(expression: string): string;
  /** Suffix of the text matching `pattern` (anchored at the end), or empty text. */
  suffixMatch(expression: string, pattern: string): string;
  /** Text padded on the right with `fill` to `length` characters, or cut to it. */
  rightPad(expression: string, length: number, fill: string): string;
}

/** The longest prefix of `name` of at most `maxBytes` UTF-8 bytes that does not split a character. */
function cutToBytes(name: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of name) {
    const code = ch.codePointAt(0) as number;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) return name.slice(0, end);
    bytes += size;
    end += ch.length;
  }
  return name;
}

function identifierOf(name: string, maxBytes: number, dialect: string): string {
  if (name === '') throw new SqlEmitError('an empty name cannot be an SQL identifier');
  if (name.includes('\u0000')) {
    throw new SqlEmitError(`the name ${JSON.stringify(name)} holds a NUL character, which no SQL identifier can hold`);
  }
  if (hasLoneSurrogate(name)) {
    throw new SqlEmitError(`the name ${JSON.stringify(name)} is not valid Unicode text`);
  }
  if (new TextEncoder().encode(name).length > maxBytes) {
    throw new SqlEmitError(
      `the name ${JSON.stringify(name)} is longer than ${maxBytes} bytes, which ${dialect} cuts short`,
      'rename it, or map it to a shorter column in the SQL mapping',
    );
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** Shortest text that reads back as exactly `value` (JavaScript's own number formatting). */
function numberText(value: number, doubleType: string): string {
  if (!Number.isFinite(value)) throw new SqlEmitError(`cannot write the number ${value} in SQL`);
  if (Number.isSafeInteger(value)) return value < 0 ? `(${value})` : String(value === 0 ? 0 : value);
  // Every engine reads decimal text into the nearest double, so the literal is exact.
  return `CAST('${String(value)}' AS ${doubleType})`;
}

const duckdb: SqlDialect = {
  name: 'duckdb',
  textType: 'VARCHAR',
  doubleType: 'DOUBLE',
  // DuckDB keeps long names; the limit only guards against absurd output.
  maxIdentifierBytes: 4096,
  stepFence: '',
  caseInsensitiveIdentifiers: true,
  identifier: (name) => identifierOf(name, 4096, 'DuckDB'),
  storedName: (name) => name,
  canHold: (value) => !hasLoneSurrogate(value),
  text(value) {
    if (hasLoneSurrogate(value)) throw new SqlEmitError(`the text ${JSON.stringify(value)} is not valid Unicode`);
    // The parser reads C strings: a NUL is written as chr(0) between literal pieces.
    const pieces = value.split('\u0000').map((piece) => `'${piece.replace(/'/g, "''")}'`);
    return pieces.length === 1 ? pieces[0] : `(${pieces.join(' || chr(0) || ')})`;
  },
  number: (value) => numberText(value, 'DOUBLE'),
  binary: (expression) => `(${expression} COLLATE c)`,
  fullMatch: (expression, pattern) => `regexp_full_match(${expression}, '${pattern}')`,
  prefixMatch: (expression, pattern) => `regexp_matches(${expression}, '^${pattern}')`,
  divide: (dividend, divisor) => `((${dividend}) // ${divisor})`,
  length: (expression) => `length(${expression})`,
  isAscii: (expression) => `(strlen(${expression}) = length(${expression}))`,
  trim: (expression, characters) => `trim(${expression}, ${characters})`,
  asciiLower: (expression) => `lower(${expression})`,
  characters: (expression) => `string_split(${expression}, '')`,
  mapList: (list, body, variable) => `list_transform(${list}, ${variable} -> ${body(variable)})`,
  joinList: (list) => `array_to_string(${list}, '')`,
  filterList: (list, keep, variable) => `list_filter(${list}, ${variable} -> ${keep(variable)})`,
  listPosition: (list, value) => `list_position(${list}, ${value})`,
  listElement: (list, index) => `${list}[${index}]`,
  listLength: (list) => `len(${list})`,
  listHasNull: (list) => `(list_count(${list}) < len(${list}))`,
  textList: (literals) => `[${literals.join(', ')}]`,
  listHasAny: (list, literals) => `list_has_any(${list}, [${literals.join(', ')}])`,
  splitText: (expression, pattern) => `regexp_split_to_array(${expression}, '${pattern}')`,
  startsWith: (expression, literal) => `starts_with(${expression}, ${literal})`,
  endsWith: (expression, literal) => `suffix(${expression}, ${literal})`,
  contains: (expression, literal) => `contains(${expression}, ${literal})`,
  castText: (expression) => `CAST(${expression} AS VARCHAR)`,
  castDouble: (expression) => `TRY_CAST(${expression} AS DOUBLE)`,
  castTextList: (expression) => `CAST(${expression} AS VARCHAR[])`,
  timestampMillis(expression) {
    const micros = `epoch_us(${expression})`;
    return `((${micros} - (((${micros} % 1000) + 1000) % 1000)) // 1000)`;
  },
  finiteDouble: (expression) => `CASE WHEN isfinite(${expression}) THEN ${expression} END`,
  castJson: (expression) => `TRY_CAST(${expression} AS JSON)`,
  jsonString: (json) => `CASE WHEN json_type(${json}) = 'VARCHAR' THEN json_extract_string(${json}, '$') END`,
  jsonIsNumber: (json) => `(json_type(${json}) IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT'))`,
  jsonNumberText: () => {
    throw new Error('internal: DuckDB reads JSON numbers as doubles');
  },
  jsonNumber: (json) => `TRY_CAST(${json} AS DOUBLE)`,
  jsonIsBoolean: (json) => `(json_type(${json}) = 'BOOLEAN')`,
  jsonBoolean: (json) => `TRY_CAST(${json} AS BOOLEAN)`,
  jsonTextList: (json) =>
    `CASE WHEN json_type(${json}) = 'ARRAY' AND json_array_length(${json}) > 0 AND len(list_filter(json_extract(${json}, '$[*]'), rubric_j -> json_type(rubric_j) <> 'VARCHAR')) = 0 THEN json_extract_string(${json}, '$[*]') END`,
  currentMillis: () => 'epoch_ms(current_timestamp)',
  nowParameter: () => 'CAST($1 AS BIGINT)',
  leadingDigits: (expression) => `regexp_extract(${expression}, '^[0-9]*')`,
  suffixMatch: (expression, pattern) => `regexp_extract(${expression}, '(${pattern})$')`,
  rightPad: (expression, length, fill) => `rpad(${expression}, ${length}, '${fill}')`,
};

const postgres: SqlDialect = {
  name: 'postgres',
  textType: 'text',
  doubleType: 'double precision',
  maxIdentifierBytes: 63,
  stepFence: 'OFFSET 0',
  caseInsensitiveIdentifiers: false,
  identifier: (name) => identifierOf(name, 63, 'PostgreSQL'),
  storedName: (name) => cutToBytes(name, 63),
  canHold: (value) => !hasLoneSurrogate(value) && !value.includes('\u0000'),
  text(value) {
    if (hasLoneSurrogate(value)) throw new SqlEmitError(`the text ${JSON.stringify(value)} is not valid Unicode`);
    if (value.includes('\u0000')) throw new SqlEmitError(`the text ${JSON.stringify(value)} holds a NUL character, which PostgreSQL text cannot hold`);
    const quoted = value.replace(/'/g, "''");
    // E'' reads `\\` as one backslash whatever standard_conforming_strings is set to.
    return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
  },
  number: (value) => numberText(value, 'double precision'),
  binary: (expression) => `(${expression} COLLATE "C")`,
  fullMatch: (expression, pattern) => `(${expression} ~ '^(${pattern})$')`,
  prefixMatch: (expression, pattern) => `(${expression} ~ '^${pattern}')`,
  divide: (dividend, divisor) => `((${dividend}) / ${divisor})`,
  length: (expression) => `length(${expression})`,
  isAscii: (expression) => `(octet_length(${expression}) = length(${expression}))`,
  trim: (expression, characters) => `btrim(${expression}, ${characters})`,
  // In the C collation PostgreSQL changes the case of ASCII letters only.
  asciiLower: (expression) => `lower(${expression} COLLATE "C")`,
  characters: (expression) => `string_to_array(${expression}, NULL)`,
  mapList: (list, body, variable) =>
    `CASE WHEN ${list} IS NOT NULL THEN ARRAY(SELECT ${body(variable)} FROM unnest(${list}) WITH ORDINALITY AS ${variable}_u(${variable}, ${variable}_i) ORDER BY ${variable}_i) END`,
  joinList: (list) => `array_to_string(${list}, '')`,
  filterList: (list, keep, variable) =>
    `CASE WHEN ${list} IS NOT NULL THEN ARRAY(SELECT ${variable} FROM unnest(${list}) WITH ORDINALITY AS ${variable}_u(${variable}, ${variable}_i) WHERE ${keep(variable)} ORDER BY ${variable}_i) END`,
  listPosition: (list, value) => `array_position(${list}, ${value})`,
  listElement: (list, index) => `(${list})[${index}]`,
  listLength: (list) => `coalesce(cardinality(${list}), 0)`,
  listHasNull: (list) => `(array_position(${list}, NULL) IS NOT NULL)`,
  textList: (literals) => (literals.length === 0 ? `CAST(ARRAY[] AS text[])` : `ARRAY[${literals.join(', ')}]::text[]`),
  listHasAny: (list, literals) => `(${list} && ARRAY[${literals.join(', ')}]::text[])`,
  splitText: (expression, pattern) => `regexp_split_to_array(${expression}, '${pattern}')`,
  startsWith: (expression, literal) => `starts_with(${expression}, ${literal})`,
  endsWith: (expression, literal) => `(right(${expression}, length(${literal})) = ${literal})`,
  contains: (expression, literal) => `(strpos(${expression}, ${literal}) > 0)`,
  castText: (expression) => `CAST(${expression} AS text)`,
  castDouble: (expression) => `CAST(${expression} AS double precision)`,
  castTextList: (expression) => `CAST(${expression} AS text[])`,
  timestampMillis: (expression) =>
    `CASE WHEN isfinite(${expression}) THEN CAST(floor(extract(epoch FROM ${expression}) * 1000) AS bigint) END`,
  finiteDouble: (expression) =>
    `CASE WHEN ${expression} NOT IN (CAST('NaN' AS double precision), CAST('Infinity' AS double precision), CAST('-Infinity' AS double precision)) THEN ${expression} END`,
  castJson: (expression) => `CAST(${expression} AS jsonb)`,
  jsonString: (json) => `CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${json} #>> '{}' END`,
  jsonIsNumber: (json) => `(jsonb_typeof(${json}) = 'number')`,
  // jsonb keeps numbers as exact numerics and prints them as plain decimals (never exponents).
  jsonNumberText: (json) => `CASE WHEN jsonb_typeof(${json}) = 'number' THEN ${json} #>> '{}' END`,
  jsonNumber: () => {
    throw new Error('internal: PostgreSQL reads JSON numbers through their text');
  },
  jsonIsBoolean: (json) => `(jsonb_typeof(${json}) = 'boolean')`,
  jsonBoolean: (json) => `CAST(${json} AS boolean)`,
  jsonTextList: (json) =>
    `CASE WHEN jsonb_typeof(${json}) = 'array' AND jsonb_array_length(${json}) > 0 AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${json}) AS rubric_j WHERE jsonb_typeof(rubric_j) <> 'string') THEN ARRAY(SELECT rubric_e FROM jsonb_array_elements_text(${json}) WITH ORDINALITY AS rubric_u(rubric_e, rubric_i) ORDER BY rubric_i) END`,
  currentMillis: () => 'CAST(floor(extract(epoch FROM current_timestamp) * 1000) AS bigint)',
  nowParameter: () => 'CAST($1 AS bigint)',
  leadingDigits: (expression) => `substring(${expression} FROM '^[0-9]*')`,
  suffixMatch: (expression, pattern) => `coalesce(substring(${expression} FROM '(${pattern})$'), '')`,
  rightPad: (expression, length, fill) => `rpad(${expression}, ${length}, '${fill}')`,
};

/** The dialect named `name`. */
export function sqlDialect(name: SqlDialectName): SqlDialect {
  return name === 'duckdb' ? duckdb : postgres;
}
