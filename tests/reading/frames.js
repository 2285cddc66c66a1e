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
    paragraphs: Array.from(doc.querySelectorAll("section p")).map(lines).filter((p) => p),
    writingMode: frame.contentWindow.getComputedStyle(doc.documentElement).writingMode,
    columns: Array.from(doc.querySelectorAll("section p")).map(columns).filter((p) => p),
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
