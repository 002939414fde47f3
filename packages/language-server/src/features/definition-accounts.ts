/**
 * Go-to-definition for the account words that name no declared symbol (issue 17): the word
 * `contacts` of a test over contacts goes to the `account KEY = LEAD_FIELD` header (which leads
 * are an account's contacts), and `account.stage`, `account.score`, `account.tier` read by a
 * contact rule go to the `score accounts` block that gives them. Names that are symbols (account
 * fields, contact groups, stages, lists, ...) are resolved by the checker's symbol table.
 */
import type { AccountDecl, AccountScoringDecl, ContactAggregateCondition, ContactCountCondition, NameRef, Range } from '@rubric/core';
import type { DocumentState } from '../document-state.js';
import { containsOffset } from '../text.js';
import { innermostAt } from './hover-accounts.js';

/** The range to go to from `offset`, or undefined when the cursor is on no such account word. */
export function accountDefinitionAt(state: DocumentState, offset: number): Range | undefined {
  const statements = state.analysis.ast.statements;
  const account = statements.find((s): s is AccountDecl => s.kind === 'AccountDecl');
  const scoring = statements.find((s): s is AccountScoringDecl => s.kind === 'AccountScoringDecl');
  if (account === undefined) return undefined;
  if (scoring !== undefined && containsOffset(scoring.range, offset)) {
    const test = innermostAt<ContactCountCondition | ContactAggregateCondition>(scoring.statements, offset, ['ContactCount', 'ContactAggregate']);
    if (test === undefined || !containsOffset(test.contacts.range, offset)) return undefined;
    return { start: account.keyword.range.start, end: account.leadKey.range.end };
  }
  const ref = innermostAt<NameRef>(statements, offset, ['NameRef']);
  if (ref === undefined || scoring === undefined) return undefined;
  return state.analysis.model.fields.get(ref.name.name)?.synthetic === 'account-result' ? scoring.keyword.range : undefined;
}
