/**
 * The HTML that lsp-client renders from the server's Markdown (hover, completion documentation)
 * holds text from the rule file (labels, comments): a shared link is someone else's file, so that
 * HTML is cut down to the tags Markdown produces (raw HTML in it, such as `<b>`, becomes text), with no attribute but `class` (for code
 * highlighting) and `http(s)` link targets. Anything else is replaced by its text. (The page's
 * CSP forbids inline scripts and handlers anyway; this keeps foreign markup out altogether.)
 */
const ALLOWED_TAGS = new Set([
  'p', 'br', 'hr', 'em', 'strong', 'code', 'pre', 'span', 'div', 'blockquote',
  'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'del',
]);

export function sanitizeHtml(html: string): string {
  // A document of its own, with no browsing context: parsing it runs no script and loads no
  // image. Chromium still checks each event-handler attribute it parses against the page's CSP
  // and reports a violation (nothing runs), so those are renamed first; the walk below removes
  // every attribute but `class` and `href` anyway.
  const defused = html.replace(/<[^>]*>/g, (tag) => tag.replace(/([\s/"'])on([a-z]+\s*=)/gi, '$1data-on$2'));
  const body = new DOMParser().parseFromString(`<!doctype html><body>${defused}`, 'text/html').body;
  for (const element of Array.from(body.querySelectorAll('*'))) {
    if (!body.contains(element)) continue; // inside an element already replaced
    if (!ALLOWED_TAGS.has(element.localName)) {
      element.replaceWith(body.ownerDocument.createTextNode(element.textContent ?? ''));
      continue;
    }
    for (const attribute of Array.from(element.attributes)) {
      const keep = attribute.name === 'class' || (element.localName === 'a' && attribute.name === 'href' && /^https?:\/\//i.test(attribute.value));
      if (!keep) element.removeAttribute(attribute.name);
    }
  }
  return body.innerHTML;
}
