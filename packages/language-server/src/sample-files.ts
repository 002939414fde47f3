import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSample, type Sample, type SampleContext } from './sample-leads.js';
import type { RubricSettings } from './settings.js';

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * Finds and reads the sample leads of a rule file (the server's only file I/O): the
 * `rubric.sampleLeads` setting when set (relative to a workspace folder, else to the rule file),
 * else `NAME.sample.jsonl` beside `NAME.rubric`. Each file is re-read only when its mtime or
 * size changes.
 */
export class SampleFiles {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; sample: Sample }>();

  /** The sample path for a document, and whether it came from the setting. */
  locate(uri: string, settings: RubricSettings, workspaceFolders: readonly string[]): { path: string; configured: boolean } | undefined {
    const documentPath = filePath(uri);
    if (settings.sampleLeads !== null) {
      const configured = settings.sampleLeads;
      if (isAbsolute(configured)) return { path: configured, configured: true };
      for (const folder of workspaceFolders) {
        const folderPath = filePath(folder) ?? folder;
        const candidate = resolve(folderPath, configured);
        if (this.exists(candidate)) return { path: candidate, configured: true };
      }
      const base = documentPath !== undefined ? dirname(documentPath) : process.cwd();
      return { path: resolve(base, configured), configured: true };
    }
    if (documentPath === undefined) return undefined;
    return { path: documentPath.replace(/\.rubric$/i, '') + '.sample.jsonl', configured: false };
  }

  private exists(path: string): boolean {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  }

  /** The sample context of a document: the parsed sample, or why there is none. */
  contextFor(uri: string, settings: RubricSettings, workspaceFolders: readonly string[]): SampleContext {
    const nowSetting = settings.previewNow;
    const located = this.locate(uri, settings, workspaceFolders);
    if (located === undefined) return { nowSetting };
    let stats;
    try {
      stats = statSync(located.path);
    } catch {
      this.cache.delete(located.path);
      // A missing beside-file just means there is no sample; a missing configured file is an error.
      return located.configured ? { nowSetting, error: `cannot read ${located.path}: no such file` } : { nowSetting };
    }
    const cached = this.cache.get(located.path);
    if (cached !== undefined && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) {
      return { nowSetting, sample: cached.sample };
    }
    let text: string;
    try {
      text = readFileSync(located.path, 'utf8');
    } catch (error) {
      return { nowSetting, error: `cannot read ${located.path}: ${error instanceof Error ? error.message : String(error)}` };
    }
    const sample = parseSample(text, located.path);
    this.cache.set(located.path, { mtimeMs: stats.mtimeMs, size: stats.size, sample });
    return { nowSetting, sample };
  }

  clear(): void {
    this.cache.clear();
  }
}
