/**
 * The SQL target: a rule file as one DuckDB or PostgreSQL query scoring a whole table of leads
 * with the same results as the JavaScript scorer. See emit-sql.ts for the query's shape and
 * docs/sql.md for the mapping, the dialects and the exactness guarantees.
 */
export { emitSql, emitSqlEventTotals, sqlOutputColumns, type SqlEmitOptions, type SqlEventTotalsOptions, type SqlNow, type SqlOutputColumns } from './emit-sql.js';
export { emitSqlAccounts, emitSqlContacts, accountsViewName } from './emit-sql-accounts.js';
export { emitDuckdbSuspects, type SqlSuspectOptions, type SqlSuspectValue } from './emit-sql-suspects.js';
export { SqlEmitError, SQL_DIALECTS, type SqlDialectName } from './dialect.js';
export {
  parseSqlMapping,
  SQL_COLUMN_FORMATS,
  type SqlAccountsMapping,
  type SqlColumn,
  type SqlColumnFormat,
  type SqlColumnSpec,
  type SqlEventsMapping,
  type SqlLeadsMapping,
  type SqlMapping,
  type SqlTableName,
} from './mapping.js';
