/**
 * The Rubric grammar as a chevrotain CST parser, with error recovery on so one pass reports every
 * syntax error. One instance, reused. The text is parsed one statement at a time (see
 * `splitStatements`): each statement's CST is turned into AST by cst-to-ast.ts and dropped, so
 * memory stays small for 10,000-rule files and an error never spills into the next statement.
 */
import {
  CstParser,
  EarlyExitException,
  EOF,
  getLookaheadPaths,
  NoViableAltException,
  tokenMatcher,
  type CstNode,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type ITokenGrammarPath,
  type LookaheadSequence,
  type TokenType,
} from 'chevrotain';
import * as T from './tokens.js';

/** Words for grammar rules, used when no single token was expected. */
const RULE_WORDS: Readonly<Record<string, string>> = {
  statement: 'a statement (`when`, `each`, `group`, `stage`, `lead`, ...)',
  primary: 'a condition',
  condition: 'a condition',
  whereCondition: 'a comparison or a parenthesised condition',
  operand: 'a name or a value',
  rightOperand: 'a value',
  value: 'a value',
  typeExpr: 'a type (`text`, `number`, `bool`, `date`, `list of text`, `one of [..]`)',
  durationUnit: 'a time unit (`days`, `weeks`, `months`, ...)',
  numericTest: 'a comparison such as `>= 3`',
  predicate: 'a test such as `= value`, `in [..]` or `is set`',
  expectation: '`score`, `stage`, `group`, `tier`, `rule` or `no`',
  ruleOutcome: '`fired` or `not fired`',
  testItem: '`now`, `lead`, `events` or `expect`',
  dataEnd: 'a setting such as `missing` or `numbers`, or `}`',
  dataSetting: 'a setting such as `missing`, `numbers` or `dates`',
  dataWord: 'a setting such as `missing`, `numbers` or `dates`',
  dataValue: 'a list `[..]` or words such as `decimal comma`',
  dataItem: 'a value (a quoted text, a word or a number)',
  name: 'a name',
  contactsWord: 'the word `contacts`',
};

function words(tokens: readonly TokenType[]): string[] {
  const seen: string[] = [];
  for (const t of tokens) {
    const label = t === EOF ? 'the end of the file' : (t.LABEL ?? t.name);
    if (!seen.includes(label)) seen.push(label);
  }
  return seen;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, 3);
  if (shown.length === 1) return shown[0];
  return shown.slice(0, -1).join(', ') + ' or ' + shown[shown.length - 1];
}

function found(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the statement';
  if (token.tokenType === T.Newline) return 'the end of the line';
  return '`' + token.image + '`';
}

/** Parse errors in plain words, naming at most three expected things. */
export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${list(words([expected]))}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${found(firstRedundant)} after the end of the statement`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const ruleWord = RULE_WORDS[ruleName];
    if (ruleWord !== undefined) return `expected ${ruleWord}, found ${found(actual[0])}`;
    const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0])).filter((t) => t !== undefined);
    return `expected ${list(words(firsts))}, found ${found(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const ruleWord = RULE_WORDS[ruleName];
    if (ruleWord !== undefined) return `expected ${ruleWord}, found ${found(actual[0])}`;
    const firsts = expectedIterationPaths.map((path) => path[0]).filter((t) => t !== undefined);
    return `expected ${list(words(firsts))}, found ${found(actual[0])}`;
  },
};

type Alternatives = Parameters<CstParser['OR']>[0] & unknown[];

/**
 * The members of chevrotain's recognizer that its own error raising uses and its type
 * declarations leave out (chevrotain 11; see `RubricParser.raiseNoAltException`).
 */
interface RecognizerInternals {
  readonly maxLookahead: number;
  getCurrRuleFullName(): string;
  SAVE_ERROR(error: IRecognitionException): IRecognitionException;
}

/**
 * The members of chevrotain's error recovery that {@link RubricParser} replaces or calls
 * (chevrotain 11, traits/recoverable.ts and traits/lexer_adapter.ts); its type declarations
 * leave them out.
 */
interface RecoveryInternals {
  /** The position of the last consumed token (`LA(1)` is the token at `currIdx + 1`). */
  readonly currIdx: number;
  readonly tokVector: readonly IToken[];
  /** Number of rules being parsed minus one: the depth of the rule stack. */
  readonly RULE_STACK_IDX: number;
  /** The token types that end some rule on the rule stack (always `EOF`), outermost first. */
  flattenFollowSet(): TokenType[];
  findReSyncTokenType(): TokenType;
  getCurrentGrammarPath(tokType: TokenType, tokIdxInRule: number): ITokenGrammarPath;
  getNextPossibleTokenTypes(grammarPath: ITokenGrammarPath): TokenType[];
  tryInRepetitionRecovery(grammarRule: RepetitionFunction, grammarRuleArgs: unknown[], lookAheadFunc: () => boolean, expectedTokType: TokenType): void;
}

/** A repetition's own function (chevrotain's `manyInternal` and the like), as recovery re-enters it. */
type RepetitionFunction = (this: unknown, ...args: unknown[]) => void;

/** Chevrotain's own in-repetition recovery, which {@link RubricParser.tryInRepetitionRecovery} drives. */
const chevrotainRepetitionRecovery = (CstParser.prototype as unknown as RecoveryInternals).tryInRepetitionRecovery;
if (typeof chevrotainRepetitionRecovery !== 'function') throw new Error('chevrotain has no `tryInRepetitionRecovery`: the parser needs chevrotain 11');

/** A repetition whose in-repetition recovery re-enters it: see {@link RubricParser.tryInRepetitionRecovery}. */
interface RecoveringRepetition {
  readonly grammarRule: RepetitionFunction;
  readonly args: readonly unknown[];
  readonly depth: number;
  /** Set when a recovery inside the repetition asks for it to go on with its next item. */
  again: boolean;
}

/** The last resync token found: see {@link RubricParser.findReSyncTokenType}. */
interface ResyncMemo {
  readonly tokens: readonly IToken[];
  readonly follows: readonly TokenType[];
  /** The search started at this token index ... */
  readonly from: number;
  /** ... and the first token matching one of `follows` was at this index. */
  readonly at: number;
  readonly type: TokenType;
}

/**
 * Grammar positions whose follow tokens {@link RubricParser.getFollowsForInRuleRecovery} keeps:
 * the grammar has a few hundred, and a statement nested deep in brackets makes more; past this
 * many the memo starts again, so it cannot grow without bound in a long-lived language server.
 */
const MAX_REMEMBERED_FOLLOWS = 2_000;

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A CST node as {@link RubricParser} builds it: chevrotain's, with the first and last real tokens
 * in it (its own and its descendants'; tokens inserted by error recovery left out), noted as the
 * parser consumes them, so that a node's range is known without walking its children. Undefined
 * when the node holds no real token.
 */
export interface RubricCstNode extends CstNode {
  first: IToken | undefined;
  last: IToken | undefined;
}

/**
 * The members of chevrotain's tree builder (chevrotain 11, traits/tree_builder.ts) that
 * {@link RubricParser} replaces; its type declarations leave them out.
 */
interface TreeBuilderInternals {
  readonly CST_STACK: RubricCstNode[];
  cstInvocationStateUpdate(fullRuleName: string): void;
  cstPostTerminal(key: string, consumedToken: IToken): void;
  cstPostNonTerminal(ruleCstResult: RubricCstNode, ruleName: string): void;
}

for (const method of ['cstInvocationStateUpdate', 'cstPostTerminal', 'cstPostNonTerminal'] as const) {
  if (typeof (CstParser.prototype as unknown as TreeBuilderInternals)[method] !== 'function') {
    throw new Error(`chevrotain has no \`${method}\`: the parser needs chevrotain 11`);
  }
}

/**
 * Makes a CST node's `children`: an object with no inherited keys, as chevrotain's
 * `Object.create(null)`, but one V8 keeps in fast mode (`Object.create(null)` makes a
 * dictionary, slower to fill and to read, and several times larger).
 */
const CstChildren = function CstChildren(): void {} as unknown as new () => CstNode['children'];
CstChildren.prototype = Object.create(null) as object;

/** A token of the text, not one error recovery made up (those have no position). */
function isRealToken(token: IToken): boolean {
  return token.isInsertedInRecovery !== true && Number.isFinite(token.startOffset);
}

/** Chevrotain's numbers for the repetitions that raise an early exit, as `getLookaheadPaths` names them. */
const EARLY_EXIT_PRODUCTIONS: Readonly<Record<number, 'RepetitionMandatory' | 'RepetitionMandatoryWithSeparator'>> = {
  2: 'RepetitionMandatory',
  3: 'RepetitionMandatoryWithSeparator',
};

/** Rubric's parser; {@link parser} is the one instance the rest of the code uses. */
export class RubricParser extends CstParser {
  /**
   * Each `OR` site's alternatives, built once: chevrotain's own advice, since building the
   * closures on every call makes most of the garbage of a large parse.
   */
  private readonly alternatives: Alternatives[] = [];

  /** Lookahead paths of a grammar site, for error messages, by rule, site and kind. */
  private readonly pathsBySite = new Map<string, LookaheadSequence[]>();

  /**
   * `validate`: check the grammar itself (ambiguities, unreachable alternatives...) as it is
   * built. Only a test needs it (test/syntax/parse-shortcuts.test.ts): the grammar does not
   * change at run time, and the checks were a third of building the parser at every start.
   */
  constructor(validate = false) {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: errorMessages, nodeLocationTracking: 'none', skipValidations: !validate });
    this.performSelfAnalysis();
    // Issue 17: a test item may start with a name (`account {`, `contact {`), so after a broken
    // item chevrotain would resume at any name on its line (`now yesterday` resumed at
    // `yesterday`, then lost the rest of the test). A broken item resumes at the next line, as
    // before: names are taken out of the tokens it may resume at.
    const follows = (this as unknown as { resyncFollows: Record<string, TokenType[]> }).resyncFollows;
    for (const key of Object.keys(follows)) {
      if (key.startsWith('testItem') && key.endsWith('testDecl')) follows[key] = follows[key].filter((t) => t !== T.Identifier);
    }
  }

  private lookaheadPaths(ruleName: string, occurrence: number, prodType: 'Alternation' | 'RepetitionMandatory' | 'RepetitionMandatoryWithSeparator'): LookaheadSequence[] {
    const key = `${prodType}:${ruleName}:${occurrence}`;
    let paths = this.pathsBySite.get(key);
    if (paths === undefined) {
      const internals = this as unknown as RecognizerInternals;
      paths = getLookaheadPaths({ occurrence, rule: this.getGAstProductions()[ruleName], prodType, maxLookahead: internals.maxLookahead });
      this.pathsBySite.set(key, paths);
    }
    return paths;
  }

  private lookaheadTokens(): IToken[] {
    const actual: IToken[] = [];
    for (let i = 1; i <= (this as unknown as RecognizerInternals).maxLookahead; i++) actual.push(this.LA(i));
    return actual;
  }

  /**
   * Chevrotain's own, except that the lookahead paths named in the message are computed once per
   * grammar site instead of on every error (its source says "consider caching"): they were most
   * of the time of a file with many syntax errors.
   */
  raiseNoAltException(occurrence: number, errMsgTypes: string | undefined): never {
    const internals = this as unknown as RecognizerInternals;
    const ruleName = internals.getCurrRuleFullName();
    const previous = this.LA(0);
    const message = errorMessages.buildNoViableAltMessage({
      expectedPathsPerAlt: this.lookaheadPaths(ruleName, occurrence, 'Alternation'),
      actual: this.lookaheadTokens(),
      previous,
      customUserDescription: errMsgTypes as string,
      ruleName,
    });
    throw internals.SAVE_ERROR(new NoViableAltException(message, this.LA(1), previous));
  }

  /** As {@link raiseNoAltException}, for a `AT_LEAST_ONE` that found nothing. */
  raiseEarlyExitException(occurrence: number, prodType: number, userDefinedErrMsg: string | undefined): never {
    const internals = this as unknown as RecognizerInternals;
    const ruleName = internals.getCurrRuleFullName();
    const production = EARLY_EXIT_PRODUCTIONS[prodType];
    if (production === undefined) throw new Error(`chevrotain raised an early exit for production type ${prodType}`);
    const message = errorMessages.buildEarlyExitMessage({
      expectedIterationPaths: this.lookaheadPaths(ruleName, occurrence, production)[0],
      actual: this.lookaheadTokens(),
      previous: this.LA(0),
      customUserDescription: userDefinedErrMsg as string,
      ruleName,
    });
    throw internals.SAVE_ERROR(new EarlyExitException(message, this.LA(1), this.LA(0)));
  }

  /**
   * Chevrotain's own, with the node made with the fields {@link cstPostTerminal} fills in (so
   * every node has one shape).
   */
  cstInvocationStateUpdate(fullRuleName: string): void {
    const node: RubricCstNode = { name: fullRuleName, children: new CstChildren(), first: undefined, last: undefined };
    (this as unknown as TreeBuilderInternals).CST_STACK.push(node);
  }

  /**
   * Chevrotain's own (the token added to its node's children under `key`), noting the node's
   * first and last real tokens. Tokens are consumed in the order of the text (recovery only ever
   * skips forward), so the first noted is the one that starts first and the last the one that
   * starts last.
   */
  cstPostTerminal(key: string, consumedToken: IToken): void {
    const stack = (this as unknown as TreeBuilderInternals).CST_STACK;
    const node = stack[stack.length - 1];
    const siblings = node.children[key] as IToken[] | undefined;
    if (siblings === undefined) node.children[key] = [consumedToken];
    else siblings.push(consumedToken);
    if (isRealToken(consumedToken)) {
      if (node.first === undefined) node.first = consumedToken;
      node.last = consumedToken;
    }
  }

  /** Chevrotain's own (a finished subrule's node added to its parent), as {@link cstPostTerminal}. */
  cstPostNonTerminal(ruleCstResult: RubricCstNode, ruleName: string): void {
    const stack = (this as unknown as TreeBuilderInternals).CST_STACK;
    const node = stack[stack.length - 1];
    const siblings = node.children[ruleName] as CstNode[] | undefined;
    if (siblings === undefined) node.children[ruleName] = [ruleCstResult];
    else siblings.push(ruleCstResult);
    if (ruleCstResult.first !== undefined) {
      if (node.first === undefined) node.first = ruleCstResult.first;
      node.last = ruleCstResult.last;
    }
  }

  /** The repetition whose recovery loop is running, innermost: see {@link tryInRepetitionRecovery}. */
  private recovering: RecoveringRepetition | undefined;

  /**
   * The last resync token found for each set of follow tokens: chevrotain asks with two sets in
   * turn when a block is left open (its repetition's recovery and its rule's), so one memo alone
   * was overwritten at each line and the search ran to the end of the statement every time.
   */
  private readonly resyncMemos = new Map<string, ResyncMemo>();

  /** The tokens the memos in {@link resyncMemos} are about. */
  private resyncTokens: readonly IToken[] | undefined;

  /**
   * Chevrotain's own, made a loop. When an item of a repetition (`MANY` and the like) cannot
   * start, chevrotain skips tokens to where one can (in Rubric usually the next line) and calls
   * the repetition again from inside this method: one level of recursion (five stack frames) per
   * recovered item, so a `group g {` left open over a few thousand bad lines overflowed the stack
   * (fuzz seed 1203). That call is the last thing every frame up to here does, so here it is
   * deferred: a re-entry of the same repetition asks the outermost recovery of it to run it again,
   * and the stack stays as deep as one item whatever the count.
   */
  tryInRepetitionRecovery(grammarRule: RepetitionFunction, grammarRuleArgs: unknown[], lookAheadFunc: () => boolean, expectedTokType: TokenType): void {
    const internals = this as unknown as RecoveryInternals;
    const depth = internals.RULE_STACK_IDX;
    const outer = this.recovering;
    if (outer !== undefined && outer.grammarRule === grammarRule && outer.depth === depth && sameItems(outer.args, grammarRuleArgs)) {
      // The repetition's own re-entry, run by `outer`'s loop below once this returns.
      chevrotainRepetitionRecovery.call(this, () => (outer.again = true), [], lookAheadFunc, expectedTokType);
      return;
    }
    const own: RecoveringRepetition = { grammarRule, args: grammarRuleArgs, depth, again: false };
    this.recovering = own;
    try {
      chevrotainRepetitionRecovery.call(this, () => (own.again = true), [], lookAheadFunc, expectedTokType);
      while (own.again) {
        own.again = false;
        grammarRule.apply(this, grammarRuleArgs);
      }
    } finally {
      this.recovering = outer;
    }
  }

  /**
   * Chevrotain's own, remembered: the first token from `LA(1)` on that can end a rule on the rule
   * stack, where recovery gives up skipping. Inside a `{` left open that is the end of the
   * statement, and chevrotain looked for it anew at each recovered item: quadratic in the lines
   * (4,000 lines 2.1 s). While the rules and the tokens are the same and the search starts no
   * later than where the last one found its token, the answer is the same token.
   */
  findReSyncTokenType(): TokenType {
    const internals = this as unknown as RecoveryInternals;
    const tokens = internals.tokVector;
    const from = internals.currIdx + 1;
    const follows = internals.flattenFollowSet();
    if (tokens !== this.resyncTokens) {
      // A new statement: the memos of the last one can never apply again (and would keep its tokens).
      this.resyncMemos.clear();
      this.resyncTokens = tokens;
    }
    let key = '';
    for (const t of follows) key += `${t.tokenTypeIdx ?? t.name},`;
    const memo = this.resyncMemos.get(key);
    if (memo !== undefined && memo.tokens === tokens && memo.from <= from && from <= memo.at && sameItems(memo.follows, follows)) return memo.type;
    // `LA` gives the EOF token past the end, and EOF is always among `follows`: this ends.
    for (let k = 1; ; k++) {
      const token = this.LA(k);
      const type = follows.find((t) => tokenMatcher(token, t));
      if (type !== undefined) {
        // A few sets of follow tokens occur in a grammar this size; the bound keeps a long-lived
        // language server from collecting them without end.
        if (this.resyncMemos.size >= MAX_REMEMBERED_FOLLOWS) this.resyncMemos.clear();
        this.resyncMemos.set(key, { tokens, follows, from, at: from + k - 1, type });
        return type;
      }
    }
  }

  private readonly followsByPath = new Map<string, TokenType[]>();

  /**
   * Chevrotain's own, remembered by grammar position: the tokens that may follow `tokType` where
   * the parser is (the rule stack and the token's place in its rule). Chevrotain walks the grammar
   * to find them at each error it might recover from, most of the time of a statement with tens
   * of thousands of bad lines; the answer depends on the position alone.
   */
  getFollowsForInRuleRecovery(tokType: TokenType, tokIdxInRule: number): TokenType[] {
    const internals = this as unknown as RecoveryInternals;
    const path = internals.getCurrentGrammarPath(tokType, tokIdxInRule);
    const key = `${path.ruleStack.join(' ')}|${path.occurrenceStack.join(' ')}|${tokType.name}|${tokIdxInRule}`;
    let follows = this.followsByPath.get(key);
    if (follows === undefined) {
      follows = internals.getNextPossibleTokenTypes(path);
      if (this.followsByPath.size >= MAX_REMEMBERED_FOLLOWS) this.followsByPath.clear();
      this.followsByPath.set(key, follows);
    }
    return follows;
  }

  public statement = this.RULE('statement', () => {
    this.OR((this.alternatives[0] ??= [
      { ALT: () => this.SUBRULE(this.leadDecl) },
      { ALT: () => this.SUBRULE(this.eventDecl) },
      { ALT: () => this.SUBRULE(this.letDecl) },
      { ALT: () => this.SUBRULE(this.segmentDecl) },
      { ALT: () => this.SUBRULE(this.groupDecl) },
      { ALT: () => this.SUBRULE(this.scoreRangeDecl) },
      { ALT: () => this.SUBRULE(this.whenRule) },
      { ALT: () => this.SUBRULE(this.eachRule) },
      { ALT: () => this.SUBRULE(this.stageDecl) },
      { ALT: () => this.SUBRULE(this.tierDecl) },
      { ALT: () => this.SUBRULE(this.testDecl) },
      // `data` is not a keyword (it is a common value word): the block is the name `data` at
      // the start of a statement, which nothing else can begin with.
      { GATE: () => this.LA(1).image === 'data', ALT: () => this.SUBRULE(this.dataDecl) },
      // `table NAME { ... }`: `table` is not a keyword either; a statement never starts with a
      // name followed by a name otherwise.
      {
        GATE: () => this.LA(1).image === 'table' && (this.LA(2).tokenType === T.Identifier || this.LA(2).tokenType === T.BacktickName),
        ALT: () => this.SUBRULE(this.tableDecl),
      },
      // Issue 17: `account KEY = LEAD_FIELD { .. }`: `account` is no keyword; a statement never
      // starts with a name followed by a name otherwise (`table` is checked first).
      { GATE: () => T.startsAccountBlock(this.LA(1), this.LA(2)), ALT: () => this.SUBRULE(this.accountDecl) },
      // `score accounts { .. }`: the word `accounts` after `score` (`score range` stays as it was).
      { GATE: () => this.LA(2).image === 'accounts', ALT: () => this.SUBRULE(this.accountScoringDecl) },
    ]));
  });

  /** `account KEY = LEAD_FIELD { fields }` (issue 17): the account schema and its key. */
  public accountDecl = this.RULE('accountDecl', () => {
    this.CONSUME(T.Identifier, { LABEL: 'accountWord' });
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.SUBRULE2(this.name, { LABEL: 'leadKey' });
    this.SUBRULE(this.fieldBlock);
  });

  /** `score accounts { .. }` (issue 17): segments, groups, rules, stages, tiers and a score range of accounts. */
  public accountScoringDecl = this.RULE('accountScoringDecl', () => {
    this.CONSUME(T.Score);
    this.CONSUME(T.Identifier, { LABEL: 'accountsWord' });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR((this.alternatives[160] ??= [
        { ALT: () => this.CONSUME(T.Terminator) },
        { ALT: () => this.SUBRULE(this.segmentDecl) },
        { ALT: () => this.SUBRULE(this.groupDecl) },
        { ALT: () => this.SUBRULE(this.scoreRangeDecl) },
        { ALT: () => this.SUBRULE(this.whenRule) },
        { ALT: () => this.SUBRULE(this.eachRule) },
        { ALT: () => this.SUBRULE(this.stageDecl) },
        { ALT: () => this.SUBRULE(this.tierDecl) },
      ]));
    });
    this.CONSUME(T.RCurly);
  });

  /** `table NAME { PATTERN, PATTERN -> VALUE ... }`: a synonym table (issue 15). */
  public tableDecl = this.RULE('tableDecl', () => {
    this.CONSUME(T.Identifier, { LABEL: 'tableWord' });
    this.SUBRULE(this.name);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR((this.alternatives[56] ??= [{ ALT: () => this.CONSUME(T.Terminator) }, { ALT: () => this.SUBRULE(this.tableLine) }]));
    });
    this.CONSUME(T.RCurly);
  });

  /** `"ceo", pdg, "dir* g*n*ral*" -> executive` (a newline after a comma continues the line). */
  public tableLine = this.RULE('tableLine', () => {
    this.SUBRULE(this.tablePattern);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.tablePattern);
    });
    this.CONSUME(T.Arrow);
    this.SUBRULE3(this.tablePattern, { LABEL: 'tableOutput' });
  });

  /**
   * A pattern or a value of a table line: a quoted text, a number or a bare word. Keywords count
   * as words here (`stage`, `no`, `year`): a table's texts are words of the data, not names.
   */
  public tablePattern = this.RULE('tablePattern', () => {
    this.OR((this.alternatives[57] ??= [
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.Keyword) },
    ]));
  });

  // ------------------------------------------------------------------ names and values

  public name = this.RULE('name', () => {
    this.OR((this.alternatives[1] ??= [
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.BacktickName) },
      // `events` is a keyword only to open a test's events; as a name the checker reports it reserved.
      { ALT: () => this.CONSUME(T.EventsKw) },
    ]));
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.OR2((this.alternatives[2] ??= [
        { ALT: () => this.CONSUME2(T.Identifier) },
        { ALT: () => this.CONSUME2(T.BacktickName) },
        { ALT: () => this.CONSUME(T.Keyword) },
      ]));
    });
  });

  public value = this.RULE('value', () => {
    this.OR((this.alternatives[3] ??= [
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.DateTimeLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.SUBRULE(this.name) },
    ]));
  });

  public listLiteral = this.RULE('listLiteral', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.value) });
    this.CONSUME(T.RBracket);
  });

  public durationUnit = this.RULE('durationUnit', () => {
    this.OR((this.alternatives[4] ??= [
      { ALT: () => this.CONSUME(T.Hours) },
      { ALT: () => this.CONSUME(T.Hour) },
      { ALT: () => this.CONSUME(T.Days) },
      { ALT: () => this.CONSUME(T.Day) },
      { ALT: () => this.CONSUME(T.Weeks) },
      { ALT: () => this.CONSUME(T.Week) },
      { ALT: () => this.CONSUME(T.Months) },
      { ALT: () => this.CONSUME(T.Month) },
      { ALT: () => this.CONSUME(T.Years) },
      { ALT: () => this.CONSUME(T.Year) },
    ]));
  });

  public duration = this.RULE('duration', () => {
    this.CONSUME(T.NumberLiteral);
    this.SUBRULE(this.durationUnit);
  });

  /** A period of decay or of a run limit: a duration, or a bare unit (`day` is `1 day`). */
  public period = this.RULE('period', () => {
    this.OPTION(() => this.CONSUME(T.NumberLiteral));
    this.SUBRULE(this.durationUnit);
  });

  /**
   * `half-life D` or `decay P% per PERIOD`. `decay` and `per` are not keywords (they are words
   * users write as values): they are names recognised here only, like `data`.
   */
  public decaySpec = this.RULE('decaySpec', () => {
    this.OR((this.alternatives[150] ??= [
      {
        ALT: () => {
          this.CONSUME(T.HalfLife);
          this.SUBRULE(this.duration);
        },
      },
      {
        GATE: () => this.LA(1).image === 'decay',
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: 'decayWord' });
          this.CONSUME(T.NumberLiteral);
          this.CONSUME(T.Percent);
          this.SUBRULE(this.perWord);
          this.SUBRULE(this.period);
        },
      },
    ]));
  });

  /**
   * Whether a decay starts here: `half-life`, or the word `decay` (any other name after a rule's
   * points is not one, and keeps the error it had: an unquoted label, a statement run on).
   */
  private readonly startsDecay = (): boolean => this.LA(1).tokenType === T.HalfLife || this.LA(1).image === 'decay';

  /** The word `per` (not a keyword). */
  public perWord = this.RULE('perWord', () => {
    this.OR((this.alternatives[151] ??= [{ GATE: () => this.LA(1).image === 'per', ALT: () => this.CONSUME(T.Identifier, { LABEL: 'perWord' }) }]));
  });

  /** `at most K per PERIOD` / `at most once per PERIOD` (`most`, `once`: not keywords). */
  public runLimit = this.RULE('runLimit', () => {
    this.CONSUME(T.At);
    this.OR((this.alternatives[152] ??= [{ GATE: () => this.LA(1).image === 'most', ALT: () => this.CONSUME(T.Identifier, { LABEL: 'mostWord' }) }]));
    this.OR2((this.alternatives[153] ??= [
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { GATE: () => this.LA(1).image === 'once', ALT: () => this.CONSUME2(T.Identifier, { LABEL: 'onceWord' }) },
    ]));
    this.SUBRULE(this.perWord);
    this.SUBRULE(this.period);
  });

  /** `30 days ago`, `90 days from now`. */
  public relativeTime = this.RULE('relativeTime', () => {
    this.SUBRULE(this.duration);
    this.OR((this.alternatives[5] ??= [
      { ALT: () => this.CONSUME(T.Ago) },
      {
        ALT: () => {
          this.CONSUME(T.From);
          this.CONSUME(T.Now);
        },
      },
    ]));
  });

  public points = this.RULE('points', () => {
    this.OR((this.alternatives[6] ??= [{ ALT: () => this.CONSUME(T.Add) }, { ALT: () => this.CONSUME(T.Sub) }]));
    this.CONSUME(T.NumberLiteral);
  });

  // ------------------------------------------------------------------ declarations

  public fieldBlock = this.RULE('fieldBlock', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR((this.alternatives[7] ??= [
        { ALT: () => this.CONSUME(T.Terminator) },
        { ALT: () => this.CONSUME(T.Comma) },
        { ALT: () => this.SUBRULE(this.fieldDecl) },
      ]));
    });
    this.CONSUME(T.RCurly);
  });

  public fieldDecl = this.RULE('fieldDecl', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
    // `from "COLUMN"` and `missing [..]`, in any order; the tree builder reports a repeated one.
    this.MANY(() => {
      this.OR((this.alternatives[32] ??= [
        {
          ALT: () => {
            this.CONSUME(T.From);
            this.CONSUME(T.StringLiteral);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Missing);
            this.SUBRULE(this.dataList);
          },
        },
      ]));
    });
  });

  /**
   * A list of a `data` setting or of a field's `missing`: values as in any list, and keywords
   * too (`[no, n]`), since these are words of the data, not names of the file.
   */
  public dataList = this.RULE('dataList', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.dataItem) });
    this.CONSUME(T.RBracket);
  });

  public dataItem = this.RULE('dataItem', () => {
    this.OR((this.alternatives[33] ??= [
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.DateTimeLiteral) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.BacktickName) },
      { ALT: () => this.CONSUME(T.Keyword) },
    ]));
  });

  /** `data { missing: [..]  numbers: decimal comma  dates: day first  true: [..]  false: [..] }`. */
  public dataDecl = this.RULE('dataDecl', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR((this.alternatives[34] ??= [
        { ALT: () => this.CONSUME(T.Terminator) },
        { ALT: () => this.CONSUME(T.Comma) },
        { ALT: () => this.SUBRULE(this.dataSetting) },
      ]));
    });
    this.SUBRULE(this.dataEnd);
  });

  /**
   * The `}` closing a `data` block, as a rule of its own so that what does not fit there (a
   * number or a symbol where a setting's name would go) is reported as "expected a setting ...
   * or `}`" rather than as a `}` alone.
   */
  public dataEnd = this.RULE('dataEnd', () => {
    this.OR((this.alternatives[37] ??= [{ ALT: () => this.CONSUME(T.RCurly) }]));
  });

  /** `NAME: [..]` or `NAME: word word`. Any word is a name here; the checker knows the settings. */
  public dataSetting = this.RULE('dataSetting', () => {
    this.SUBRULE(this.dataWord);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.dataValue);
  });

  public dataValue = this.RULE('dataValue', () => {
    this.OR((this.alternatives[35] ??= [
      { ALT: () => this.SUBRULE(this.dataList) },
      { ALT: () => this.AT_LEAST_ONE(() => this.SUBRULE2(this.dataWord)) },
    ]));
  });

  public dataWord = this.RULE('dataWord', () => {
    this.OR((this.alternatives[36] ??= [{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.Keyword) }]));
  });

  public typeExpr = this.RULE('typeExpr', () => {
    this.OR((this.alternatives[8] ??= [
      { ALT: () => this.CONSUME(T.TextKw) },
      { ALT: () => this.CONSUME(T.NumberKw) },
      { ALT: () => this.CONSUME(T.Bool) },
      { ALT: () => this.CONSUME(T.DateKw) },
      {
        ALT: () => {
          this.CONSUME(T.ListKw);
          this.CONSUME(T.Of);
          this.CONSUME2(T.TextKw);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.One);
          this.CONSUME2(T.Of);
          this.SUBRULE(this.listLiteral);
        },
      },
    ]));
  });

  public leadDecl = this.RULE('leadDecl', () => {
    this.CONSUME(T.Lead);
    this.SUBRULE(this.fieldBlock);
  });

  public eventDecl = this.RULE('eventDecl', () => {
    this.CONSUME(T.Event);
    this.SUBRULE(this.name);
    this.OPTION(() => this.SUBRULE(this.fieldBlock));
  });

  public letDecl = this.RULE('letDecl', () => {
    this.CONSUME(T.Let);
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.OR((this.alternatives[9] ??= [{ ALT: () => this.SUBRULE(this.listLiteral) }, { ALT: () => this.SUBRULE(this.value) }]));
  });

  public segmentDecl = this.RULE('segmentDecl', () => {
    this.CONSUME(T.Segment);
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.condition);
  });

  public groupDecl = this.RULE('groupDecl', () => {
    this.CONSUME(T.Group);
    this.SUBRULE(this.name);
    this.MANY(() => {
      this.OR((this.alternatives[10] ??= [
        {
          ALT: () => {
            this.CONSUME(T.Max);
            this.CONSUME(T.NumberLiteral);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Min);
            this.CONSUME2(T.NumberLiteral);
          },
        },
        // `half-life D` / `decay P% per PERIOD`: every rule of the group decays (see DECAY).
        { GATE: this.startsDecay, ALT: () => this.SUBRULE(this.decaySpec) },
      ]));
    });
    this.CONSUME(T.LCurly);
    this.MANY2(() => {
      this.OR2((this.alternatives[11] ??= [
        { ALT: () => this.CONSUME(T.Terminator) },
        { ALT: () => this.SUBRULE(this.whenRule) },
        { ALT: () => this.SUBRULE(this.eachRule) },
      ]));
    });
    this.CONSUME(T.RCurly);
  });

  public scoreRangeDecl = this.RULE('scoreRangeDecl', () => {
    this.CONSUME(T.Score);
    this.CONSUME(T.RangeKw);
    this.CONSUME(T.NumberLiteral);
    this.CONSUME(T.To);
    this.CONSUME2(T.NumberLiteral);
  });

  public whenRule = this.RULE('whenRule', () => {
    this.CONSUME(T.When);
    this.SUBRULE(this.condition);
    this.SUBRULE(this.points);
    // Parsed to be reported (R054): a `when` rule gives its points once.
    this.OPTION2(() => this.SUBRULE(this.runLimit));
    this.OPTION3({ GATE: this.startsDecay, DEF: () => this.SUBRULE(this.decaySpec) });
    this.OPTION(() => this.CONSUME(T.StringLiteral));
  });

  public eachRule = this.RULE('eachRule', () => {
    this.CONSUME(T.Each);
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.whereCondition);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Within);
      this.SUBRULE(this.duration);
    });
    this.SUBRULE(this.points);
    this.OPTION3(() => {
      this.CONSUME(T.Up);
      this.CONSUME(T.To);
      this.CONSUME(T.NumberLiteral);
    });
    this.OPTION6(() => this.SUBRULE(this.runLimit));
    this.OPTION4({ GATE: this.startsDecay, DEF: () => this.SUBRULE(this.decaySpec) });
    this.OPTION5(() => this.CONSUME(T.StringLiteral));
  });

  public stageDecl = this.RULE('stageDecl', () => {
    this.CONSUME(T.Stage);
    this.SUBRULE(this.name);
    this.CONSUME(T.At);
    this.CONSUME(T.NumberLiteral);
    this.OPTION(() => {
      this.CONSUME(T.Requires);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.requirement) });
    });
    this.OPTION2(() => {
      this.CONSUME(T.When);
      this.SUBRULE(this.condition);
    });
  });

  /**
   * One item of a stage's `requires`: a bare field name (it must be set) or a condition, which may
   * hold `or` but not `and` (the commas between items are the `and`s, so `requires email and
   * phone` stays an error, with its hint).
   */
  public requirement = this.RULE('requirement', () => {
    this.SUBRULE(this.notCondition);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.notCondition);
    });
  });

  public tierDecl = this.RULE('tierDecl', () => {
    this.CONSUME(T.Tier);
    this.SUBRULE(this.name);
    this.CONSUME(T.When);
    this.SUBRULE(this.condition);
  });

  // ------------------------------------------------------------------ tests

  public testDecl = this.RULE('testDecl', () => {
    this.CONSUME(T.Test);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR((this.alternatives[12] ??= [{ ALT: () => this.CONSUME(T.Terminator) }, { ALT: () => this.SUBRULE(this.testItem) }]));
    });
    this.CONSUME(T.RCurly);
  });

  public testItem = this.RULE('testItem', () => {
    this.OR((this.alternatives[13] ??= [
      {
        ALT: () => {
          this.CONSUME(T.Now);
          this.CONSUME(T.DateTimeLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Lead);
          this.SUBRULE(this.testFieldBlock);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.EventsKw);
          this.SUBRULE(this.testEventBlock);
        },
      },
      { ALT: () => this.SUBRULE(this.expectation) },
      // Issue 17: `account { .. }` and `contact { .. } [events { .. }]` (no keywords: names then `{`).
      {
        GATE: () => this.LA(1).image === 'account' && this.LA(2).tokenType === T.LCurly,
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: 'accountWord' });
          this.SUBRULE2(this.testFieldBlock);
        },
      },
      {
        GATE: () => this.LA(1).image === 'contact' && this.LA(2).tokenType === T.LCurly,
        ALT: () => this.SUBRULE(this.testContact),
      },
    ]));
  });

  /** `contact { fields } [events { .. }]` (the events on the same line or the next one). */
  public testContact = this.RULE('testContact', () => {
    this.CONSUME(T.Identifier, { LABEL: 'contactWord' });
    this.SUBRULE(this.testFieldBlock);
    this.OPTION({
      GATE: () => this.LA(1).tokenType === T.EventsKw || (this.LA(1).tokenType === T.Newline && this.LA(2).tokenType === T.EventsKw),
      DEF: () => {
        this.OPTION2(() => this.CONSUME(T.Newline));
        this.CONSUME(T.EventsKw);
        this.SUBRULE(this.testEventBlock);
      },
    });
  });

  public testFieldBlock = this.RULE('testFieldBlock', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR((this.alternatives[14] ??= [
        { ALT: () => this.CONSUME(T.Terminator) },
        { ALT: () => this.CONSUME(T.Comma) },
        { ALT: () => this.SUBRULE(this.testField) },
      ]));
    });
    this.CONSUME(T.RCurly);
  });

  public testField = this.RULE('testField', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.Colon);
    this.OR((this.alternatives[15] ??= [{ ALT: () => this.SUBRULE(this.listLiteral) }, { ALT: () => this.SUBRULE(this.value) }]));
  });

  public testEventBlock = this.RULE('testEventBlock', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR((this.alternatives[16] ??= [
        { ALT: () => this.CONSUME(T.Terminator) },
        { ALT: () => this.CONSUME(T.Comma) },
        { ALT: () => this.SUBRULE(this.testEvent) },
      ]));
    });
    this.CONSUME(T.RCurly);
  });

  public testEvent = this.RULE('testEvent', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => this.SUBRULE(this.testFieldBlock));
    this.OR((this.alternatives[17] ??= [
      {
        ALT: () => {
          this.CONSUME(T.At);
          this.CONSUME(T.DateTimeLiteral);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.duration);
          this.CONSUME(T.Ago);
        },
      },
    ]));
  });

  public expectation = this.RULE('expectation', () => {
    this.CONSUME(T.Expect);
    // Issue 17: `expect account ...` checks the account's result (`account` is no keyword).
    this.OPTION3({
      GATE: () => this.LA(1).image === 'account' && this.LA(1).tokenType === T.Identifier && this.LA(2).tokenType !== T.Dot,
      DEF: () => this.CONSUME2(T.Identifier, { LABEL: 'accountWord' }),
    });
    this.OR((this.alternatives[18] ??= [
      {
        ALT: () => {
          this.CONSUME(T.Score);
          this.OPTION(() => this.SUBRULE(this.compareOperator));
          this.CONSUME(T.NumberLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Group);
          this.SUBRULE(this.name);
          this.OPTION2(() => this.SUBRULE2(this.compareOperator));
          this.CONSUME2(T.NumberLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Stage);
          this.SUBRULE2(this.name);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Tier);
          this.SUBRULE3(this.name);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.No);
          this.OR2((this.alternatives[27] ??= [{ ALT: () => this.CONSUME2(T.Stage) }, { ALT: () => this.CONSUME2(T.Tier) }]));
        },
      },
      // `expect rule "LABEL" fired` / `not fired`: `rule` and `fired` are not keywords (a field
      // may be named either), so they are names recognised here only, like `data`.
      {
        GATE: () => this.LA(1).image === 'rule',
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: 'ruleWord' });
          this.CONSUME(T.StringLiteral);
          this.SUBRULE(this.ruleOutcome);
        },
      },
    ]));
  });

  /** `fired` or `not fired` after `expect rule "LABEL"` (its own rule, for its error message). */
  public ruleOutcome = this.RULE('ruleOutcome', () => {
    this.OPTION(() => this.CONSUME(T.Not));
    this.OR((this.alternatives[38] ??= [
      { GATE: () => this.LA(1).image === 'fired', ALT: () => this.CONSUME(T.Identifier, { LABEL: 'firedWord' }) },
    ]));
  });

  // ------------------------------------------------------------------ conditions

  public condition = this.RULE('condition', () => {
    this.SUBRULE(this.andCondition);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andCondition);
    });
  });

  public andCondition = this.RULE('andCondition', () => {
    this.SUBRULE(this.notCondition);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.notCondition);
    });
  });

  /** `not` is a prefix loop, not recursion, so `not not ... x` never deepens the stack. */
  public notCondition = this.RULE('notCondition', () => {
    this.MANY(() => this.CONSUME(T.Not));
    this.SUBRULE(this.primary);
  });

  public primary = this.RULE('primary', () => {
    this.OR((this.alternatives[19] ??= [
      { ALT: () => this.SUBRULE(this.parenCondition) },
      { ALT: () => this.SUBRULE(this.eventExists) },
      // Issue 17: `count contacts ...` (the word `contacts` right after `count`).
      { GATE: () => this.LA(2).image === 'contacts' && this.LA(2).tokenType === T.Identifier, IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.contactCount) },
      // `best|sum|average score|NAME of ...`: an aggregate word, `score` or a name, then `of`.
      { GATE: this.startsContactAggregate, ALT: () => this.SUBRULE(this.contactAggregate) },
      { ALT: () => this.SUBRULE(this.eventCount) },
      { ALT: () => this.SUBRULE(this.daysSince) },
      { ALT: () => this.SUBRULE(this.subjectCondition) },
    ]));
  });

  /**
   * Whether `best|sum|average score|NAME of` starts here (none of the three is a keyword: a
   * field, segment or event may be named so, and is never followed by a name and `of`).
   */
  private readonly startsContactAggregate = (): boolean => {
    const word = this.LA(1);
    if (word.tokenType !== T.Identifier || (word.image !== 'best' && word.image !== 'sum' && word.image !== 'average')) return false;
    const value = this.LA(2).tokenType;
    return (value === T.Score || value === T.Identifier || value === T.BacktickName) && this.LA(3).tokenType === T.Of;
  };

  /**
   * `count contacts [where C] TEST` (issue 17). `C` is a whole condition; when it ends with a
   * comparison and no test follows, that comparison is the count's test (cst-to-ast).
   */
  public contactCount = this.RULE('contactCount', () => {
    this.CONSUME(T.Count);
    this.SUBRULE(this.contactsWord);
    this.SUBRULE(this.contactsTail);
  });

  /** `best|sum|average score|GROUP of [top N] contacts [where C] TEST` (issue 17). */
  public contactAggregate = this.RULE('contactAggregate', () => {
    this.CONSUME(T.Identifier, { LABEL: 'aggregateWord' });
    this.OR((this.alternatives[161] ??= [{ ALT: () => this.CONSUME(T.Score) }, { ALT: () => this.SUBRULE(this.name) }]));
    this.CONSUME(T.Of);
    this.OPTION({
      GATE: () => this.LA(1).image === 'top' && this.LA(2).tokenType === T.NumberLiteral,
      DEF: () => {
        this.CONSUME2(T.Identifier, { LABEL: 'topWord' });
        this.CONSUME(T.NumberLiteral);
      },
    });
    this.SUBRULE(this.contactsWord);
    this.SUBRULE(this.contactsTail);
  });

  /** The word `contacts` (not a keyword). */
  public contactsWord = this.RULE('contactsWord', () => {
    this.OR((this.alternatives[162] ??= [{ GATE: () => this.LA(1).image === 'contacts', ALT: () => this.CONSUME(T.Identifier, { LABEL: 'contactsWord' }) }]));
  });

  /**
   * `[where C] [TEST]` after `contacts`: the test may have been read as the end of `C`. A
   * `within D` is read too: only an event named `contacts` takes one (cst-to-ast).
   */
  public contactsTail = this.RULE('contactsTail', () => {
    this.OPTION(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.condition);
    });
    this.OPTION3(() => {
      this.CONSUME(T.Within);
      this.SUBRULE(this.duration);
    });
    this.OPTION2(() => this.SUBRULE(this.numericTest));
  });

  public parenCondition = this.RULE('parenCondition', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.condition);
    this.CONSUME(T.RParen);
  });

  /** `where` takes one comparison or a parenthesised condition. */
  public whereCondition = this.RULE('whereCondition', () => {
    this.OR((this.alternatives[20] ??= [{ ALT: () => this.SUBRULE(this.parenCondition) }, { ALT: () => this.SUBRULE(this.subjectCondition) }]));
  });

  public eventExists = this.RULE('eventExists', () => {
    this.OR((this.alternatives[21] ??= [{ ALT: () => this.CONSUME(T.Any) }, { ALT: () => this.CONSUME(T.No) }]));
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.whereCondition);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Within);
      this.SUBRULE(this.duration);
    });
  });

  public eventCount = this.RULE('eventCount', () => {
    this.CONSUME(T.Count);
    // `count distinct EVENT.PROPERTY`: `distinct` is not a keyword (an event may be named so);
    // it is the word `distinct` followed by a name (an event named `distinct` is followed by
    // `where`, `within` or an operator, never by a name).
    this.OPTION3({
      GATE: () => this.LA(1).image === 'distinct' && (this.LA(2).tokenType === T.Identifier || this.LA(2).tokenType === T.BacktickName),
      DEF: () => this.CONSUME(T.Identifier, { LABEL: 'distinctWord' }),
    });
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.whereCondition);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Within);
      this.SUBRULE(this.duration);
    });
    this.SUBRULE(this.numericTest);
  });

  public daysSince = this.RULE('daysSince', () => {
    this.CONSUME(T.Days);
    this.CONSUME(T.Since);
    this.CONSUME(T.Last);
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.whereCondition);
    });
    this.SUBRULE(this.numericTest);
  });

  public numericTest = this.RULE('numericTest', () => {
    this.OR((this.alternatives[22] ??= [
      {
        ALT: () => {
          this.SUBRULE(this.compareOperator);
          this.SUBRULE(this.rightOperand);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Between);
          this.SUBRULE2(this.rightOperand);
          this.CONSUME(T.And);
          this.SUBRULE3(this.rightOperand);
        },
      },
    ]));
  });

  public compareOperator = this.RULE('compareOperator', () => {
    this.OR((this.alternatives[23] ??= [
      { ALT: () => this.CONSUME(T.Equals) },
      { ALT: () => this.CONSUME(T.NotEquals) },
      { ALT: () => this.CONSUME(T.LessEquals) },
      { ALT: () => this.CONSUME(T.GreaterEquals) },
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.Greater) },
    ]));
  });

  /** A subject followed by a test, or a name alone (a segment or a bool field). */
  public subjectCondition = this.RULE('subjectCondition', () => {
    this.SUBRULE(this.operand);
    this.OPTION(() => this.SUBRULE(this.predicate));
  });

  public operand = this.RULE('operand', () => {
    this.OR((this.alternatives[24] ??= [
      // `seniority(job)`: a synonym table applied to a field (a name then `(`; nothing else is).
      { GATE: () => this.LA(2).tokenType === T.LParen, ALT: () => this.SUBRULE(this.tableLookup) },
      { ALT: () => this.CONSUME(T.Score) },
      // Issue 17: a contact's `stage` or `tier` (inside an aggregate's `where`; the checker says where else).
      { ALT: () => this.CONSUME(T.Stage) },
      { ALT: () => this.CONSUME(T.Tier) },
      { ALT: () => this.SUBRULE(this.relativeTime) },
      { ALT: () => this.SUBRULE(this.value) },
    ]));
  });

  /** `TABLE(FIELD)`: the value a synonym table gives the field's text. */
  public tableLookup = this.RULE('tableLookup', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.LParen);
    this.SUBRULE2(this.name, { LABEL: 'tableInput' });
    this.CONSUME(T.RParen);
  });

  /** After a comparison operator: a value, a relative time, `score`, or a name. */
  public rightOperand = this.RULE('rightOperand', () => {
    this.OR((this.alternatives[25] ??= [
      { ALT: () => this.CONSUME(T.Score) },
      { ALT: () => this.SUBRULE(this.relativeTime) },
      { ALT: () => this.SUBRULE(this.value) },
    ]));
  });

  public predicate = this.RULE('predicate', () => {
    this.OR((this.alternatives[26] ??= [
      {
        ALT: () => {
          this.SUBRULE(this.compareOperator);
          this.SUBRULE(this.rightOperand);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Between);
          this.SUBRULE2(this.rightOperand);
          this.CONSUME(T.And);
          this.SUBRULE3(this.rightOperand);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Not));
          this.CONSUME(T.In);
          this.OR2((this.alternatives[28] ??= [{ ALT: () => this.SUBRULE(this.listLiteral) }, { ALT: () => this.SUBRULE(this.name) }]));
        },
      },
      {
        ALT: () => {
          // `email not ends any [..]`: false when the value is missing, like `not in`.
          this.OPTION3(() => this.CONSUME2(T.Not));
          this.OR3((this.alternatives[29] ??= [
            { ALT: () => this.CONSUME(T.Starts) },
            { ALT: () => this.CONSUME(T.Ends) },
            { ALT: () => this.CONSUME(T.Contains) },
            { ALT: () => this.CONSUME(T.Has) },
          ]));
          this.OPTION2(() => this.CONSUME(T.Any));
          this.OR4((this.alternatives[30] ??= [{ ALT: () => this.SUBRULE2(this.listLiteral) }, { ALT: () => this.SUBRULE(this.value) }]));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Is);
          this.OR5((this.alternatives[31] ??= [
            { ALT: () => this.CONSUME(T.SetKw) },
            { ALT: () => this.CONSUME(T.Missing) },
            { ALT: () => this.CONSUME(T.True) },
            { ALT: () => this.CONSUME(T.False) },
          ]));
        },
      },
    ]));
  });
}

/** The one parser instance (chevrotain parsers are expensive to build and cheap to reset). */
export const parser = new RubricParser();

export type { CstNode };
