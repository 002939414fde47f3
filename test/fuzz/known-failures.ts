/**
 * Failure classes the CI fuzz run tolerates while their fix is under way, each with where it is
 * tracked. Keep this empty whenever possible: an entry hides a real bug from CI. An entry that
 * matches no failure of the CI run fails the test (the bug is fixed: remove the entry), so the
 * list cannot go stale.
 */
import type { Failure, Stage } from './check-input.js';

export interface KnownFailure {
  readonly stage: Stage;
  readonly kind: Failure['kind'];
  /** Matched against the message of the class's first input. */
  readonly message: RegExp;
  /** Where it is tracked (a section of /work/notes/fuzz-findings.md, an issue). */
  readonly tracked: string;
}

export const KNOWN_FAILURES: readonly KnownFailure[] = [];
