/**
 * Strings that break naive code generators, SQL emitters and object lookups. Use them as rule
 * literals, labels, lead values, event properties and (where the grammar allows) names.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '"',
  "'",
  '`',
  "it's",
  'say "hi"',
  '\\',
  'C:\\temp\\new',
  '\\u0041',
  '${1+1}',
  '`${process.exit(1)}`',
  "'); drop table leads; --",
  '"); drop table leads; --',
  "' or '1'='1",
  '*/ throw 1; /*',
  '</script><script>alert(1)</script>',
  'line\nbreak',
  'tab\there',
  'para\u2028sep',
  'para\u2029sep',
  'nul\u0000byte',
  '🚀 rocket',
  'e\u0301 combining',
  '%s %d',
  '\u00a0nbsp\u00a0',
  '١٢٣',
];

/** The subset that is also a valid name inside backticks (no backtick, no line break, no NUL). */
export const HOSTILE_NAMES: readonly string[] = HOSTILE_STRINGS.filter(
  (s) => !/[`\n\r\u0000\u2028\u2029]/u.test(s) && s.trim() === s && s.length > 0 && !s.includes('\\'),
);
