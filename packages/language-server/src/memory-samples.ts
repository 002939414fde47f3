import type { AccountSampleContext } from './sample-accounts.js';
import { parseCsvSample } from './sample-csv.js';
import { parseSample, type Sample, type SampleContext } from './sample-leads.js';
import type { RubricSettings } from './settings.js';
import type { SampleSource } from './sample-source.js';

/** The sample formats a {@link MemorySamples} parses. */
export type SampleFormat = 'jsonl' | 'csv';

/**
 * Sample leads held in memory, per document: the browser has no file beside the rule file, so the
 * page gives the sample's text (`set`) and the server previews, hints and explains with it as it
 * would with a file. A text is parsed once per `set` (with the same limits as a file's).
 */
export class MemorySamples implements SampleSource {
  private readonly texts = new Map<string, { readonly name: string; readonly sample: Sample }>();

  /** Sets (or with `text` empty, removes) the sample of `uri`; `name` is what messages call it. */
  set(uri: string, text: string, format: SampleFormat, name: string): Sample | undefined {
    if (text.trim() === '') {
      this.texts.delete(uri);
      return undefined;
    }
    const sample = format === 'csv' ? parseCsvSample(text, name) : parseSample(text, name);
    this.texts.set(uri, { name, sample });
    return sample;
  }

  /** The parsed sample of `uri`, if one was set. */
  get(uri: string): Sample | undefined {
    return this.texts.get(uri)?.sample;
  }

  contextFor(uri: string, settings: RubricSettings): SampleContext {
    const held = this.texts.get(uri);
    return held === undefined ? { nowSetting: settings.previewNow } : { nowSetting: settings.previewNow, sample: held.sample };
  }

  /** No accounts sample in memory (the playground's pane holds leads): previews of leads only. */
  accountsContextFor(_uri: string, settings: RubricSettings): AccountSampleContext {
    return { nowSetting: settings.previewNow };
  }

  /** Nothing to forget: the texts are what the page set, not a cache of files. */
  clear(): void {}
}
