/**
 * Collecting declarations: every name the file declares, in file order, with the schema rules
 * that need no resolution (duplicates, reserved names, a field that is also a parent, the one
 * `lead` block).
 */
import type { EventDecl, FieldDecl, Identifier, LetDecl, Range, RubricFile, Statement } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import type { SymbolKind } from './model.js';

const KIND_WORDS: Readonly<Record<SymbolKind, string>> = {
  field: 'field',
  event: 'event',
  property: 'property',
  let: '`let`',
  segment: 'segment',
  group: 'group',
  stage: 'stage',
  tier: 'tier',
  test: 'test',
  table: 'table',
  'account-field': 'account field',
};

/** A declaration named in a message: ``field `job` ``, `` `let titles` ``. */
export function namedDeclaration(kind: SymbolKind, name: string): string {
  return kind === 'let' ? `\`let ${name}\`` : `${KIND_WORDS[kind]} \`${name}\``;
}

/** The article and word for a kind of declaration: `a field`, `an event`. */
export function describeKind(kind: SymbolKind): string {
  const word = KIND_WORDS[kind];
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

interface Claim {
  readonly kind: SymbolKind;
  readonly range: Range;
}

/**
 * Walks the statements once and fills the context's declaration maps. Names in conditions
 * (fields, lets, segments, groups) share one namespace, since a condition could not tell them
 * apart; events, properties of one event, stages, tiers and tests each have their own.
 */
export function collectDeclarations(ctx: CheckContext, ast: RubricFile): void {
  const conditionNames = new Map<string, Claim>();
  const namespaces = new Map<string, Map<string, Claim>>();

  /** Claims `name` in `space`; reports a duplicate and returns false when it is taken. */
  const claim = (space: string, kind: SymbolKind, identifier: Identifier, name = identifier.name): boolean => {
    let names = space === 'condition' ? conditionNames : namespaces.get(space);
    if (names === undefined) {
      names = new Map();
      namespaces.set(space, names);
    }
    const first = names.get(name);
    if (first === undefined) {
      names.set(name, { kind, range: identifier.range });
      return true;
    }
    const what = kind === 'property' ? 'property' : KIND_WORDS[kind];
    const message =
      first.kind === kind
        ? `${namedDeclaration(kind, name)} is declared twice; rename or remove this one`
        : `\`${name}\` is already ${describeKind(first.kind)} (line ${first.range.start.line}); rename this ${what}`;
    ctx.report('R017', identifier.range, message, {
      help: `names must be unique: the first \`${name}\` is on line ${first.range.start.line}`,
      related: [{ message: `\`${name}\` is first declared here`, range: first.range }],
    });
    return false;
  };

  const collect = (statement: Statement): void => {
    switch (statement.kind) {
      case 'LeadDecl': {
        ctx.leads.push(statement);
        if (ctx.leads.length > 1) {
          const first = ctx.leads[0];
          const start = statement.range.start.offset;
          ctx.report('R027', ctx.source.rangeAt(start, start + 'lead'.length), 'a second `lead` block; a file has exactly one', {
            help: `move these fields into the \`lead\` block on line ${first.range.start.line}`,
            related: [{ message: 'the first `lead` block', range: first.range }],
          });
        }
        for (const field of statement.fields ?? []) collectField(field);
        return;
      }
      case 'EventDecl':
        collectEvent(statement);
        return;
      case 'LetDecl':
        if (statement.name === undefined) return;
        if (claim('condition', 'let', statement.name)) {
          ctx.letDecls.set(statement.name.name, statement);
          ctx.declare('let', statement.name.name, statement.name.range, statement.range, describeLetValue(ctx, statement.value));
        }
        return;
      case 'SegmentDecl':
        if (statement.name === undefined) return;
        if (claim('condition', 'segment', statement.name)) {
          ctx.segmentDecls.set(statement.name.name, statement);
          const detail = statement.condition === undefined ? 'segment' : ctx.source.collapsed(statement.condition.range);
          ctx.declare('segment', statement.name.name, statement.name.range, statement.range, detail);
        }
        return;
      case 'GroupDecl': {
        if (statement.name === undefined) return;
        if (claim('condition', 'group', statement.name)) {
          ctx.groupDecls.set(statement.name.name, statement);
          const bounds = [statement.min === undefined ? '' : `min ${statement.min.raw}`, statement.max === undefined ? '' : `max ${statement.max.raw}`]
            .filter((b) => b !== '')
            .join(' ');
          ctx.declare('group', statement.name.name, statement.name.range, statement.range, bounds === '' ? 'group' : bounds);
        }
        return;
      }
      case 'ScoreRangeDecl': {
        const first = ctx.scoreRangeDecl;
        if (first === undefined) {
          ctx.scoreRangeDecl = statement;
          return;
        }
        ctx.report('R017', statement.range, '`score range` is declared twice; keep one', {
          help: `the first \`score range\` is on line ${first.range.start.line}`,
          related: [{ message: 'the first `score range`', range: first.range }],
        });
        return;
      }
      case 'StageDecl':
        if (statement.name === undefined) return;
        if (claim('stage', 'stage', statement.name)) {
          ctx.stageDecls.set(statement.name.name, statement);
          const detail = `at ${statement.threshold?.raw ?? '?'}`;
          ctx.declare('stage', statement.name.name, statement.name.range, statement.range, detail);
        }
        return;
      case 'TierDecl':
        if (statement.name === undefined) return;
        if (claim('tier', 'tier', statement.name)) {
          ctx.tierDecls.set(statement.name.name, statement);
          const detail = statement.condition === undefined ? 'tier' : ctx.source.collapsed(statement.condition.range);
          ctx.declare('tier', statement.name.name, statement.name.range, statement.range, detail);
        }
        return;
      case 'TestDecl': {
        ctx.testDecls.push(statement);
        const name = statement.name;
        if (name === undefined) return;
        const identifier: Identifier = { kind: 'Identifier', name: name.value, parts: [], range: name.range };
        if (claim('test', 'test', identifier)) ctx.declare('test', name.value, name.range, statement.range, 'test');
        return;
      }
      default:
        return;
    }
  };

  const collectField = (field: FieldDecl): void => {
    if (field.name === undefined) return;
    const name = field.name.name;
    if (name.split('.')[0] === 'events') {
      ctx.report('R029', field.name.range, '`events` is a reserved name; rename this field', {
        help: "a lead's `events` carries its events, so no field can be called `events`",
      });
    }
    if (!claim('condition', 'field', field.name)) return;
    ctx.fieldDecls.set(name, field);
    ctx.declare('field', name, field.name.range, field.range, describeTypeExpr(ctx, field));
  };

  const collectEvent = (event: EventDecl): void => {
    if (event.name === undefined) return;
    const name = event.name.name;
    if (!claim('event', 'event', event.name)) return;
    ctx.eventDecls.set(name, event);
    const properties = new Map<string, FieldDecl>();
    ctx.propertyDecls.set(name, properties);
    const detail = (event.properties ?? []).length === 0 ? 'event' : `event { ${(event.properties ?? []).map((p) => ctx.source.collapsed(p.range)).join(', ')} }`;
    ctx.declare('event', name, event.name.range, event.range, detail);
    for (const property of event.properties ?? []) {
      if (property.name === undefined) continue;
      const propertyName = property.name.name;
      if (propertyName === 'type' || propertyName === 'at') {
        const why = propertyName === 'at' ? "the event's timestamp" : "the event's name";
        ctx.report('R029', property.name.range, `\`${propertyName}\` is a reserved name (it holds ${why}); rename this property`, {
          help: `every event already has \`type\` and \`at\`; call the property something else, e.g. \`${propertyName}_value\``,
        });
      }
      if (!claim(`property:${name}`, 'property', property.name)) continue;
      properties.set(propertyName, property);
      ctx.declare('property', propertyName, property.name.range, property.range, describeTypeExpr(ctx, property), name);
    }
  };

  for (const statement of ast.statements ?? []) collect(statement);
  checkParentFields(ctx);
}

/** `company` and `company.size` cannot both be fields: a value cannot also hold others. */
function checkParentFields(ctx: CheckContext): void {
  // A parent is a prefix of its child's name ending at one of the child's dots, so each field
  // looks up its own prefixes instead of being compared with every other field (quadratic:
  // 20,000 fields took 6 s). Pairs are reported in the order of the pairwise loop this replaced.
  const fields = [...ctx.fieldDecls.values()];
  const position = new Map<string, number>();
  fields.forEach((field, i) => position.set(field.name.name, i));
  const pairs: [number, number][] = [];
  fields.forEach((field, j) => {
    const name = field.name.name;
    for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
      const i = position.get(name.slice(0, dot));
      if (i !== undefined && i !== j) pairs.push([i, j]);
    }
  });
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [i, j] of pairs) {
    const parent = fields[i];
    const child = fields[j];
    const parentFirst = parent.range.start.offset < child.range.start.offset;
    const later = parentFirst ? child : parent;
    const earlier = parentFirst ? parent : child;
    const message = parentFirst
      ? `\`${child.name.name}\` is nested under \`${parent.name.name}\`, which is itself a field; a field cannot also be a parent`
      : `\`${parent.name.name}\` is a field but also the parent of \`${child.name.name}\`; a field cannot also be a parent`;
    ctx.report('R028', later.name.range, message, {
      help: `rename \`${parent.name.name}\` (for example \`${parent.name.name}.name\`) or remove it`,
      related: [{ message: `\`${earlier.name.name}\` is declared here`, range: earlier.name.range }],
    });
  }
}

function describeTypeExpr(ctx: CheckContext, field: FieldDecl): string {
  return field.type === undefined ? 'unknown type' : ctx.source.collapsed(field.type.range);
}

function describeLetValue(ctx: CheckContext, value: LetDecl['value'] | undefined): string {
  if (value === undefined) return '`let`';
  if (value.kind === 'ListLiteral') return `list ${ctx.source.collapsed(value.range)}`;
  return ctx.source.collapsed(value.range);
}
