/**
 * The state of one check: the source text, every declaration found, the resolved schema, and
 * what the check has produced so far (diagnostics, symbols). Each concern of the checker reads
 * and adds to it; `check` puts the parts together.
 */
import { DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode, type Fix, type RelatedInformation, type Severity } from '../diagnostics/diagnostic.js';
import type {
  EventDecl,
  FieldDecl,
  GroupDecl,
  Identifier,
  LeadDecl,
  LetDecl,
  Range,
  RubricFile,
  ScoreRangeDecl,
  SegmentDecl,
  StageDecl,
  TestDecl,
  TierDecl,
} from '../syntax/ast.js';
import type { EventInfo, FieldInfo, LetInfo, SymbolDeclaration, TableInfo, SymbolKind, SymbolReference } from './model.js';
import { SourceText } from './source-text.js';
import { SUGGEST_COMPARISONS_PER_CHECK, Suggester, type SuggestBudget } from './suggest.js';

export interface ReportOptions {
  /**
   * The severity when it is not the code's default: only for the documented lesser case of a
   * code (R043's `missing` value listed twice is a warning).
   */
  readonly severity?: Severity;
  readonly help?: string;
  readonly related?: readonly RelatedInformation[];
  readonly fixes?: readonly Fix[];
}

/** What a name in a condition can stand for. */
export type ConditionNameKind = 'field' | 'let' | 'segment' | 'group';

/** A lead field some condition or test reads but the schema lacks, with the type its use implies. */
export interface MissingField {
  readonly name: string;
  readonly type: string;
}

export class CheckContext {
  readonly source: SourceText;
  readonly diagnostics: Diagnostic[] = [];
  readonly declarations: SymbolDeclaration[] = [];
  readonly references: SymbolReference[] = [];
  private readonly declaredKeys = new Set<string>();
  private readonly referencedKeys = new Set<string>();

  // Declarations as written (the first of each name; later duplicates are reported).
  readonly leads: LeadDecl[] = [];
  readonly fieldDecls = new Map<string, FieldDecl>();
  readonly eventDecls = new Map<string, EventDecl>();
  readonly propertyDecls = new Map<string, Map<string, FieldDecl>>();
  readonly letDecls = new Map<string, LetDecl>();
  readonly segmentDecls = new Map<string, SegmentDecl>();
  readonly groupDecls = new Map<string, GroupDecl>();
  readonly stageDecls = new Map<string, StageDecl>();
  readonly tierDecls = new Map<string, TierDecl>();
  readonly testDecls: TestDecl[] = [];
  scoreRangeDecl: ScoreRangeDecl | undefined;

  // The resolved schema and constants.
  readonly fields = new Map<string, FieldInfo>();
  readonly events = new Map<string, EventInfo>();
  readonly lets = new Map<string, LetInfo>();
  /** Synonym tables by name (collectTables). */
  readonly tables = new Map<string, TableInfo>();

  /** Unknown lead fields in use, for the "add a `lead` block" fix when the file has none. */
  readonly missingFields = new Map<string, MissingField>();

  /**
   * Issue 17: set in a file with an `account` block. Reports R066 when `name`, unknown at this
   * level, names something of the other level (an account field read bare by a contact rule, a
   * lead field read bare by an account rule...) and returns true; `inContacts`: inside the
   * `where` of a test over contacts.
   */
  otherLevel: ((name: Identifier, inContacts: boolean) => boolean) | undefined;
  /** Issue 17: the file has an `account` block (for helps). */
  hasAccount = false;

  private readonly suggesters = new Map<string, Suggester>();
  private readonly suggestBudget: SuggestBudget = { comparisons: SUGGEST_COMPARISONS_PER_CHECK };

  constructor(readonly file: RubricFile) {
    this.source = new SourceText(typeof file.text === 'string' ? file.text : '', file.comments ?? []);
  }

  /** Adds a diagnostic with the code's default severity. */
  report(code: DiagnosticCode, range: Range, message: string, options: ReportOptions = {}): void {
    // Optional fields set in place, in this order, rather than spread from small objects: a large
    // file has thousands of warnings (repeated rules).
    const diagnostic: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { code, severity: options.severity ?? DIAGNOSTIC_CODES[code].severity, message, range };
    if (options.help !== undefined) diagnostic.help = options.help;
    if (options.related !== undefined && options.related.length > 0) diagnostic.related = options.related;
    if (options.fixes !== undefined && options.fixes.length > 0) diagnostic.fixes = options.fixes;
    this.diagnostics.push(diagnostic);
  }

  /** Records a declaration for the symbol table (the first one of a key wins). */
  declare(kind: SymbolKind, name: string, nameRange: Range, range: Range, detail: string, container?: string): void {
    const key = symbolKey(kind, name, container);
    if (this.declaredKeys.has(key)) return;
    this.declaredKeys.add(key);
    this.declarations.push({ key, kind, name, nameRange, range, detail, ...(container !== undefined ? { container } : {}) });
  }

  /** Records a resolved use of a declared symbol at the range of its name. */
  reference(kind: SymbolKind, name: string, range: Range, container?: string): void {
    const key = symbolKey(kind, name, container);
    this.referencedKeys.add(key);
    this.references.push({ key, range });
  }

  /** Records a use by its symbol key (issue 17: uses found by the account check, merged in). */
  referenceKey(key: string, range: Range): void {
    this.referencedKeys.add(key);
    this.references.push({ key, range });
  }

  /** Counts `key` as used without a place (R026): a field read at another level. */
  markUsed(key: string): void {
    this.referencedKeys.add(key);
  }

  isReferenced(key: string): boolean {
    return this.referencedKeys.has(key);
  }

  /**
   * The closest of a set of candidates to a misspelt `name` ("did you mean"). `key` names the
   * candidate set (`fields+groups`, `properties:page_view`): sets are fixed once declarations
   * are collected, so each is folded and bucketed once per check, and every answer is memoised.
   */
  suggest(key: string, name: string, candidates: () => Iterable<string>): string | undefined {
    let suggester = this.suggesters.get(key);
    if (suggester === undefined) {
      suggester = new Suggester(candidates(), this.suggestBudget);
      this.suggesters.set(key, suggester);
    }
    return suggester.suggest(name);
  }

  /** What a name in a condition is declared as (fields first, then groups, segments, lets). */
  conditionNameKind(name: string): ConditionNameKind | undefined {
    if (this.fieldDecls.has(name)) return 'field';
    if (this.groupDecls.has(name)) return 'group';
    if (this.segmentDecls.has(name)) return 'segment';
    if (this.letDecls.has(name)) return 'let';
    return undefined;
  }
}

/** The symbol table key of a declaration: `field:company.size`, `property:page_view.url`. */
export function symbolKey(kind: SymbolKind, name: string, container?: string): string {
  return container === undefined ? `${kind}:${name}` : `${kind}:${container}.${name}`;
}
