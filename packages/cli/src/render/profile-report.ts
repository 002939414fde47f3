/**
 * What `rubric profile` reports: the core's {@link DataProfile} of the data, and what the CLI
 * learnt reading the files (their encodings, rejected records, notices such as invalid UTF-8).
 * The text, JSON and HTML renderers all render this one object.
 */
import type { DataProfile } from '@rubric/core';

/** How one input file was read. */
export interface ProfiledFile {
  /** As shown in messages (relative to the working directory; `stdin` for `-`). */
  readonly path: string;
  readonly format: 'csv' | 'jsonl' | 'json';
  /** The encoding the text was decoded from (a byte order mark's, `--encoding`, or UTF-8). */
  readonly encoding: string;
  /** The byte order mark the file starts with, when it has one. */
  readonly bom?: string;
  /** The CSV delimiter. */
  readonly delimiter?: string;
  /** Records the reader could not read (or the scorer cannot use): not profiled. */
  readonly rejected: number;
  /** The first rejected records (at most 5): line and why. */
  readonly rejectedExamples: readonly { readonly line: number; readonly message: string }[];
  /** What the reader said that is not a record: invalid UTF-8 met, a truncated array. */
  readonly notices: readonly string[];
  /** Whether a record held bytes that are not valid UTF-8 (then try `--encoding windows-1252`). */
  readonly invalidUtf8: boolean;
}

/**
 * Issue 17, `--accounts`: the accounts file and its profile against the declared account fields.
 * Its suggestions' file-wide settings (`block`, `missing`, `numbers`, `dates`, bool words, notes)
 * are the same as the contacts profile's (both weigh both files); its `from` lines and
 * `declarations` are for the `account` block.
 */
export interface ProfiledAccounts {
  readonly file: ProfiledFile;
  readonly profile: DataProfile;
  /** The column the account key is read from. */
  readonly keyColumn: string;
}

export interface ProfileReport {
  /** The rule file, as shown. */
  readonly rules: string;
  readonly data: ProfiledFile;
  readonly events?: ProfiledFile;
  readonly profile: DataProfile;
  readonly accounts?: ProfiledAccounts;
}
