/**
 * The back-test API of the core, in one place for the report and back-test commands (which load
 * it lazily, so other commands do not pay for it at start-up).
 */
export * from '@rubric/core';
