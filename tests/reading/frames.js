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
  };
}
