import type { AccountSampleContext } from './sample-accounts.js';
import type { SampleContext } from './sample-leads.js';
import type { RubricSettings } from './settings.js';

/**
 * Where the server finds a document's sample leads: {@link SampleFiles} reads them from disk
 * beside the rule file (the command-line server); the browser entry keeps them in memory
 * ({@link MemorySamples}, what the playground's sample pane holds).
 */
export interface SampleSource {
  /** The sample context of a document: the parsed sample, or why there is none. */
  contextFor(uri: string, settings: RubricSettings, workspaceFolders: readonly string[]): SampleContext;
  /** The accounts sample of a document (issue 17's account previews), or why there is none. */
  accountsContextFor(uri: string, settings: RubricSettings): AccountSampleContext;
  /** Forgets what was read (settings or files changed). */
  clear(): void;
}

/** No sample for any document (a server started without a sample source). */
export const NO_SAMPLES: SampleSource = {
  contextFor: (_uri, settings) => ({ nowSetting: settings.previewNow }),
  accountsContextFor: (_uri, settings) => ({ nowSetting: settings.previewNow }),
  clear: () => undefined,
};
