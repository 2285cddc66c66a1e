// Shared by the harness pages: wait until a book frame is drawn, and say what it shows.
async function settled(frame) {
  const doc = frame.contentDocument;
  if (!doc || !doc.body) throw new Error("the frame has no document");
  await doc.fonts.ready;
  await Promise.all(
    Array.from(doc.images).map((img) => (img.complete ? null : img.decode().catch(() => null))),
  );
  // Two animation frames: the last layout and paint are done before the screenshot.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return {
    url: doc.URL,
    type: doc.contentType,
    lang: doc.documentElement.lang,
    text: doc.body.innerText,
    images: Array.from(doc.images).map((img) => ({ src: img.src, width: img.naturalWidth })),
    rubies: doc.querySelectorAll("ruby rt").length,
    dir: doc.documentElement.dir,
    direction: frame.contentWindow.getComputedStyle(doc.body).direction,
    paragraphs: Array.from(doc.querySelectorAll("section p:not(.footnote-number)")).map(lines).filter((p) => p),
    writingMode: frame.contentWindow.getComputedStyle(doc.documentElement).writingMode,
    columns: Array.from(doc.querySelectorAll("section p")).map(columns).filter((p) => p),
    complaints: complaints(doc),
  };
}

// A paragraph set vertically: its box, and the left edge of each of its columns in
// reading order (its first line's first), from the text itself, not its ruby; null for a
// paragraph not drawn.
function columns(paragraph) {
  const box = paragraph.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return null;
  const doc = paragraph.ownerDocument;
  const walker = doc.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  const lefts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("rt, rp")) continue;
    const range = doc.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.width === 0 || rect.height === 0) continue;
      const left = Math.round(rect.left);
      if (!lefts.some((seen) => Math.abs(seen - left) < 6)) lefts.push(left);
    }
  }
  return { width: box.width, height: box.height, lefts: lefts };
}

// Where a paragraph's lines are drawn: its box's left and right, and its last line's
// (the one lines are not justified on); null for a paragraph of one line or none shown.
function lines(paragraph) {
  const range = paragraph.ownerDocument.createRange();
  range.selectNodeContents(paragraph);
  const rows = new Map();
  for (const rect of range.getClientRects()) {
    if (rect.width === 0) continue;
    const top = Math.round(rect.top);
    const row = rows.get(top) || { left: rect.left, right: rect.right };
    rows.set(top, { left: Math.min(row.left, rect.left), right: Math.max(row.right, rect.right) });
  }
  if (rows.size < 2) return null;
  const box = paragraph.getBoundingClientRect();
  const style = paragraph.ownerDocument.defaultView.getComputedStyle(paragraph);
  const last = rows.get(Math.max(...rows.keys()));
  return {
    left: box.left + parseFloat(style.paddingLeft),
    right: box.right - parseFloat(style.paddingRight),
    lastLeft: last.left,
    lastRight: last.right,
    lines: rows.size,
  };
}

// What a reader on a small screen would complain of, measured in the shown document
// (issue: the EPUB on a phone). Each list holds the offenders, with what they are.
function complaints(doc) {
  const win = doc.defaultView;
  const out = { overflowing: [], splitRubies: [], stretched: [], overlapping: [], smallTargets: [], rubySizes: [] };
  const scrolls = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const style = win.getComputedStyle(e);
      if (["auto", "scroll"].includes(style.overflowX)) return true;
    }
    return false;
  };
  // the block an inline is laid out in, and its column: the width of its first
  // fragment (in paginated columns a block's bounding box spans columns). Measured as
  // the text is (an engine that zooms the document zooms both).
  const INLINE = /^(inline|ruby|contents)/;
  const blockOf = (el) => {
    let block = el;
    while (block && INLINE.test(win.getComputedStyle(block).display)) block = block.parentElement;
    return block || doc.documentElement;
  };
  const columnOf = (el) => {
    const block = blockOf(el.parentElement || el);
    const first = Array.from(block.getClientRects()).find((r) => r.width > 0);
    const style = win.getComputedStyle(block);
    const scale = first && block.offsetWidth ? first.width / block.offsetWidth : 1;
    const padding = (parseFloat(style.paddingLeft) + parseFloat(style.paddingRight)) * scale;
    return first ? first.width - padding : 0;
  };
  // the width of ``text`` set in ``el``'s font on one line, unjustified
  const natural = (el, text) => {
    const probe = doc.createElement("span");
    probe.textContent = text;
    probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap;letter-spacing:normal;word-spacing:normal;text-indent:0";
    el.appendChild(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width;
  };
  const body = doc.body;
  const walker = doc.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.nodeValue.trim() || scrolls(node.parentElement) || node.parentElement.closest("rt, rp")) continue;
    const range = doc.createRange();
    range.selectNodeContents(node);
    const column = columnOf(node.parentElement);
    if (column <= 2) continue;  // visually hidden (a table's header row, shown per cell)
    for (const rect of range.getClientRects()) {
      if (rect.width > column + 1 && column > 0) {
        out.overflowing.push({ text: node.nodeValue.slice(0, 40), width: Math.round(rect.width), column });
        break;
      }
    }
  }
  for (const el of body.querySelectorAll("table, img, pre, figure, svg")) {
    if (scrolls(el)) continue;
    const column = columnOf(el);
    // the widest of its fragments (a table may run on over several columns)
    const widest = Math.max(0, ...Array.from(el.getClientRects()).map((r) => r.width));
    if (column > 2 && widest > column + 1) {
      out.overflowing.push({ text: el.localName, width: Math.round(widest), column });
    }
  }
  const baseRects = (ruby) => {
    const rects = [];
    const w = doc.createTreeWalker(ruby, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      if (n.parentElement.closest("rt, rp")) continue;
      const r = doc.createRange();
      r.selectNodeContents(n);
      for (const rect of r.getClientRects()) if (rect.width > 0) rects.push(rect);
    }
    return rects;
  };
  const HANZI = /[\u3400-\u9fff]/g;
  for (const ruby of body.querySelectorAll("ruby")) {
    const rects = baseRects(ruby);
    if (!rects.length) continue;
    const tops = new Set(rects.map((r) => Math.round(r.top)));
    const base = Array.from(ruby.childNodes).filter((n) => n.nodeType === 3 || !["rt", "rp"].includes(n.localName)).map((n) => n.textContent).join("");
    if (tops.size > 1) out.splitRubies.push(base);
    const size = parseFloat(win.getComputedStyle(ruby).fontSize);
    const width = rects.reduce((sum, r) => sum + r.width, 0);
    const alone = tops.size === 1 ? natural(ruby.parentElement, base) : width;
    // a base as wide as its reading is spread by ruby layout (ruby-align), not by
    // justification: only a base wider than both is stretched
    const reading = ruby.querySelector("rt")?.getBoundingClientRect().width || 0;
    if ((base.match(HANZI) || []).length > 1 && width > 1.05 * alone + 1 && width > reading + 1) {
      out.stretched.push({ text: base, ratio: +(width / alone).toFixed(2) });
    }
    const rt = ruby.querySelector("rt");
    if (rt) {
      const rtSize = parseFloat(win.getComputedStyle(rt).fontSize);
      out.rubySizes.push({ ratio: +(rtSize / size).toFixed(2), px: rtSize });
      // the line above: the lowest text box of the same block ending above this base
      const top = Math.min(...rects.map((r) => r.top));
      const rtTop = rt.getBoundingClientRect().top;
      const block = blockOf(ruby);
      let above = -Infinity;
      const bw = doc.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      for (let n = bw.nextNode(); n; n = bw.nextNode()) {
        if (n.parentElement.closest("rt, rp")) continue;
        const r = doc.createRange();
        r.selectNodeContents(n);
        for (const rect of r.getClientRects()) {
          if (rect.width > 0 && rect.bottom <= top + 1 && rect.top < top - 2) above = Math.max(above, rect.bottom);
        }
      }
      if (above > rtTop + 0.5) out.overlapping.push({ text: base, by: +(above - rtTop).toFixed(1) });
    }
  }
  for (const el of body.querySelectorAll(".hanzi")) {
    const text = el.textContent;
    if ((text.match(HANZI) || []).length < 2 || el.closest("ruby") || el.querySelector("ruby")) continue;
    const rects = Array.from(el.getClientRects()).filter((r) => r.width > 0);
    const width = rects.reduce((sum, r) => sum + r.width, 0);
    const alone = natural(el, text);
    if (width > 1.05 * alone + 1) {
      const style = win.getComputedStyle(el);
      out.stretched.push({ text, ratio: +(width / alone).toFixed(2), display: style.display, spacing: style.letterSpacing, rects: rects.length });
    }
    if (new Set(rects.map((r) => Math.round(r.top))).size > 1) out.splitRubies.push(text);
  }
  for (const el of body.querySelectorAll("a.noteref, a[role=doc-backlink]")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.width < 24 || r.height < 24) out.smallTargets.push({ text: el.textContent, width: Math.round(r.width), height: Math.round(r.height) });
  }
  return out;
}
