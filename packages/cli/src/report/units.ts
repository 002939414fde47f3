/**
 * What a back-test or a report counts, in words: leads, or accounts with --accounts (issue 17,
 * where each unit is an account scored with its contacts). Every sentence of the text and HTML
 * renderers that names the units takes its words from here, so an account back-test never says
 * "leads" for its accounts.
 */
import type { ReportDocument } from './document.js';

export interface Units {
  /** `lead` or `account`. */
  readonly one: string;
  /** `leads` or `accounts`. */
  readonly many: string;
  /** What events are joined to: `leads`, or `contacts` (an account's events are its contacts'). */
  readonly eventOwners: string;
}

const LEADS: Units = { one: 'lead', many: 'leads', eventOwners: 'leads' };
const ACCOUNTS: Units = { one: 'account', many: 'accounts', eventOwners: 'contacts' };

/** The units of `document`: accounts when it was made with --accounts. */
export function unitsOf(document: Pick<ReportDocument, 'contactsPath'>): Units {
  return document.contactsPath === undefined ? LEADS : ACCOUNTS;
}

/** The units of a lead back-test, for callers without a document. */
export const LEAD_UNITS: Units = LEADS;
