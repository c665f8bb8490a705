// A small XML reader for the tests of SVG exports: it walks the text character by character into elements
// (name, attributes, text, children) and throws where the XML is not well formed (a tag closed out of
// order, an attribute unquoted or given twice), as a browser or Inkscape would refuse it; and each text
// element's words with where they start on the picture.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data, entities decoded (its children's not included). */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length;) {
    const amp = raw.indexOf('&', i);
    if (amp < 0) return out + raw.slice(i);
    const semi = raw.indexOf(';', amp);
    const name = raw.slice(amp + 1, semi);
    const char = name.startsWith('#x')
      ? String.fromCodePoint(parseInt(name.slice(2), 16))
      : name.startsWith('#')
        ? String.fromCodePoint(Number(name.slice(1)))
        : ENTITIES[name];
    if (semi < 0 || char === undefined) throw new Error(`XML: bad entity at ${raw.slice(amp, amp + 10)}`);
    out += raw.slice(i, amp) + char;
    i = semi + 1;
  }
  return out;
}

const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\t' || c === '\r';

/** A start tag's inside ("text x=\"1\" /"): its name, attributes, and whether it closes itself. */
function startTag(inside: string): { element: XmlElement; empty: boolean } {
  const empty = inside.endsWith('/');
  const body = empty ? inside.slice(0, -1) : inside;
  let i = 0;
  while (i < body.length && !isSpace(body[i])) i++;
  const element: XmlElement = { name: body.slice(0, i), attributes: {}, children: [], text: '' };
  for (;;) {
    while (i < body.length && isSpace(body[i])) i++;
    if (i >= body.length) return { element, empty };
    const eq = body.indexOf('=', i);
    const quote = body[eq + 1];
    if (eq < 0 || (quote !== '"' && quote !== "'")) throw new Error(`XML: unquoted attribute in <${body.slice(0, 60)}`);
    const name = body.slice(i, eq);
    const end = body.indexOf(quote, eq + 2);
    if (end < 0) throw new Error(`XML: unclosed attribute ${name}`);
    if (name in element.attributes) throw new Error(`XML: attribute ${name} twice in <${element.name}>`);
    element.attributes[name] = decode(body.slice(eq + 2, end));
    i = end + 1;
  }
}

/** The document's root element. */
export function parseXml(xml: string): XmlElement {
  const document: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const open = [document];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const data = xml.slice(i, lt < 0 ? xml.length : lt);
    open[open.length - 1].text += decode(data);
    if (lt < 0) break;
    if (xml.startsWith('<?', lt) || xml.startsWith('<!--', lt)) {
      const close = xml.startsWith('<?', lt) ? '?>' : '-->';
      i = xml.indexOf(close, lt) + close.length;
      continue;
    }
    // a tag ends at the first '>' outside quotes
    let gt = lt + 1;
    for (let quote = ''; gt < xml.length && (quote || xml[gt] !== '>'); gt++) {
      if (quote ? xml[gt] === quote : xml[gt] === '"' || xml[gt] === "'") quote = quote ? '' : xml[gt];
    }
    const inside = xml.slice(lt + 1, gt);
    if (inside.startsWith('/')) {
      const closed = open.pop()!;
      if (closed.name !== inside.slice(1).trim() || open.length === 0) throw new Error(`XML: <${inside}> closes <${closed.name}>`);
    } else {
      const { element, empty } = startTag(inside);
      open[open.length - 1].children.push(element);
      if (!empty) open.push(element);
    }
    i = gt + 1;
  }
  if (open.length !== 1) throw new Error(`XML: <${open[open.length - 1].name}> never closed`);
  if (document.children.length !== 1 || document.text.trim() !== '') throw new Error('XML: not one root element');
  return document.children[0];
}

/** Every element under `root` (itself included) named `name`, in document order. */
export function elementsNamed(root: XmlElement, name: string): XmlElement[] {
  return [...(root.name === name ? [root] : []), ...root.children.flatMap((c) => elementsNamed(c, name))];
}

/** Where a text element starts on the picture: its x and y through its transform (Skia's translate or matrix). */
export function anchorOf(text: XmlElement): { x: number; y: number } {
  const x = Number(text.attributes.x ?? 0);
  const y = Number(text.attributes.y ?? 0);
  const transform = text.attributes.transform ?? '';
  const open = transform.indexOf('(');
  const values = transform
    .slice(open + 1, transform.indexOf(')'))
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  const kind = transform.slice(0, open);
  if (kind === 'translate') return { x: x + values[0], y: y + (values[1] ?? 0) };
  if (kind === 'matrix') {
    const [a, b, c, d, e, f] = values;
    return { x: a * x + c * y + e, y: b * x + d * y + f };
  }
  if (transform !== '') throw new Error(`unread transform ${transform}`);
  return { x, y };
}
