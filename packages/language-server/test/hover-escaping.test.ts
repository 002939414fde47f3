/**
 * Hover text that comes from the user's file (rule labels, test names, values, column names,
 * source excerpts) is shown as written: rendered by `marked` (what VS Code and the playground's
 * CodeMirror client render hover Markdown with), a hostile label makes no HTML element, no link
 * and no emphasis, and a value holding backticks cannot close its code span or block.
 */
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { completion } from '../src/features/completion.js';
import { hover } from '../src/features/hover.js';
import { codeBlock, escapeMarkdown, inlineCode } from '../src/markdown.js';
import { positionOf, stateOf } from './helpers.js';

const URI = 'file:///work/hostile.rubric';
const doc = { uri: URI };

const HOSTILE = [
  '<b>x</b>',
  '[link](javascript:alert(1))',
  '<img src=x onerror=alert(1)>',
  '**bold** _it_ `code` ~~gone~~',
  'https://evil.example/x www.evil.example',
  '# Title',
  '&lt; &amp; \\ | a | b |',
];

/** The HTML `marked` renders `markdown` to. */
function render(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true });
}

/** The text a reader sees in `html`: tags removed, entities decoded. */
function seen(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The tags `html` holds, by name. */
function tags(html: string): string[] {
  return [...html.matchAll(/<([a-z0-9]+)/gi)].map((m) => m[1].toLowerCase());
}

function hoverAt(text: string, needle: string, delta = 1): string {
  const state = stateOf(text, URI);
  const contents = hover(state, { textDocument: doc, position: positionOf(state, needle, 0, delta) })?.contents;
  return contents !== undefined && typeof contents === 'object' && 'value' in contents ? contents.value : '';
}

function quoted(label: string): string {
  return `"${label.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

describe('markdown helpers', () => {
  it.each(HOSTILE)('escapeMarkdown(%j) renders as written, with no element but the paragraph', (label) => {
    const html = render(escapeMarkdown(label));
    expect(tags(html)).toEqual(['p']);
    expect(seen(html).trim()).toBe(label);
  });

  it('inlineCode survives any run of backticks and renders the text as written', () => {
    for (const text of ['a`b', '``', 'x ``` y', '`start', 'end`', ' padded ', '<b>x</b>']) {
      const html = render(inlineCode(text));
      expect(tags(html)).toEqual(['p', 'code']);
      expect(seen(/<code>([\s\S]*)<\/code>/.exec(html)?.[1] ?? '')).toBe(text);
    }
  });

  it('codeBlock cannot be closed by the source it shows', () => {
    const source = 'when job = "```" add 1\n# not a title\n<b>x</b>';
    const html = render(codeBlock(source));
    expect(tags(html)).toEqual(['pre', 'code']);
    expect(seen(html).trimEnd()).toBe(source);
  });
});

describe('hover over the file\'s own text', () => {
  it.each(HOSTILE)('a rule label %j shows as written in the rule hover', (label) => {
    const text = `lead { job: text }\nwhen job = ceo add 10 ${quoted(label)}\n`;
    const markdown = hoverAt(text, 'add 10');
    expect(markdown).toContain('**rule**');
    const html = render(markdown);
    expect(tags(html).filter((t) => !['p', 'strong', 'code'].includes(t))).toEqual([]);
    expect(seen(html)).toContain(`“${label}”`);
  });

  it('an account rule label too (issue 17)', () => {
    const label = '[click](javascript:alert(1)) <script>x</script>';
    const text = `lead {\n  job: text\n  company.id: text\n}\naccount id = company.id {\n  id: text\n  size: number\n}\nscore accounts {\n  when size > 10 add 5 ${quoted(label)}\n}\n`;
    const markdown = hoverAt(text, 'add 5');
    const html = render(markdown);
    expect(tags(html)).not.toContain('a');
    expect(tags(html)).not.toContain('script');
    expect(seen(html)).toContain(`“${label}”`);
  });

  it('a test name shows as written', () => {
    const name = '<img src=x onerror=alert(1)> **win**';
    const text = `lead { job: text }\nwhen job = ceo add 10\ntest ${quoted(name)} {\n  lead { job: ceo }\n  expect score 10\n}\n`;
    const html = render(hoverAt(text, 'test "', 7));
    expect(tags(html).filter((t) => !['p', 'strong'].includes(t))).toEqual([]);
    expect(seen(html)).toContain(`“${name}”`);
  });

  it('text values, columns and missing words holding backticks stay inside their code spans', () => {
    const text = 'data { missing: ["n`c"] }\nlead {\n  job: text from "Job `title`" missing ["``"]\n}\nlet evil = "a```b <b>x</b>"\nwhen job = evil add 1\n';
    const field = render(hoverAt(text, 'job = evil', 1));
    expect(seen(field)).toContain('Read from the column Job `title`.');
    expect(seen(field)).toContain('n`c');
    expect(tags(field)).not.toContain('b');
    const value = render(hoverAt(text, 'let evil', 5));
    expect(tags(value)).not.toContain('b');
    // The code block shows the whole declaration, and the value span the whole value.
    expect(seen(value)).toContain('let evil = "a```b <b>x</b>"');
    expect(seen(value)).toContain('text a```b <b>x</b>');
  });

  it('completion documentation is plain text (never Markdown), so labels offered there cannot render', () => {
    const text = 'lead { job: text }\nwhen job = ceo add 10 "<b>x</b>"\ntest "t" {\n  lead { job: ceo }\n  expect rule |\n}\n';
    const at = text.indexOf('|');
    const state = stateOf(text.replace('|', ''), URI);
    const items = completion(state, { textDocument: doc, position: state.lines.positionAt(at) }, { snippetSupport: false, today: '2026-03-01' }).items;
    expect(items.map((i) => i.label)).toContain('<b>x</b>');
    for (const item of items) expect(typeof (item.documentation ?? '')).toBe('string');
  });
});
