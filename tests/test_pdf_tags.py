"""The PDF for screens (PDF/UA-1): its tag tree read back with pikepdf, and the text of
each tagged element with pypdf, to check structure, alternative text and languages."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pikepdf
from conftest import run_pubtool
from pypdf import PdfReader
from test_epub_projects import PNG

HAN = re.compile(r"^[\u3400-\u9fff]+$")
# pinyin as the glossary writes it: by the word, proper nouns capitalized (GB/T 16159)
PINYIN = re.compile(r"^[A-Za-zà-ÿÀ-ÝāēīōūǎěǐǒǔǘǚǜüĀĒĪŌŪǍĚǏǑǓǗǙǛÜ' ]+$")


def marked_texts(pdf: Path) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence, by (page index, MCID)."""
    texts: dict[tuple[int, int], str] = defaultdict(str)
    for number, page in enumerate(PdfReader(pdf).pages):
        open_ids: list[int | None] = []

        def operator(op, args, cm, tm, stack=open_ids):
            if op == b"BDC":
                props = args[1] if len(args) > 1 else None
                stack.append(props.get("/MCID") if hasattr(props, "get") else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()

        def text(t, cm, tm, font, size, stack=open_ids, number=number):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                texts[(number, mcid)] += t

        page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return texts


class Tags:
    """Every structure element of a tagged PDF, with its type, attributes and text."""

    def __init__(self, pdf: Path) -> None:
        self.pdf = pikepdf.open(pdf)
        self.pages = {page.objgen: n for n, page in enumerate(self.pdf.pages)}
        self.texts = marked_texts(pdf)
        self.elements: list[pikepdf.Dictionary] = []
        self._walk(self.pdf.Root.StructTreeRoot.K[0])

    def _walk(self, node: object) -> None:
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            self.elements.append(node)
            for kid in self._kids(node):
                self._walk(kid)

    @staticmethod
    def _kids(node: pikepdf.Dictionary) -> list[object]:
        kids = node.get("/K")
        return list(kids) if isinstance(kids, pikepdf.Array) else [kids]

    def text(self, node: pikepdf.Dictionary, page: int | None = None) -> str:
        if node.get("/Pg") is not None:
            page = self.pages[node.Pg.objgen]
        out = ""
        for kid in self._kids(node):
            if isinstance(kid, int) and page is not None:
                out += self.texts.get((page, kid), "")
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                out += self.text(kid, page)
        return out

    def of_type(self, kind: str) -> list[pikepdf.Dictionary]:
        return [e for e in self.elements if str(e.S) == kind]

    def counts(self) -> Counter[str]:
        return Counter(str(e.S) for e in self.elements)


def test_structure_of_the_english_pdf(sample_pdfs) -> None:
    tags = Tags(sample_pdfs["en"])
    root = tags.pdf.Root
    assert str(root.Lang) == "en"
    assert bool(root.MarkInfo.Marked) and bool(root.ViewerPreferences.DisplayDocTitle)
    assert str(tags.pdf.open_metadata()["dc:title"]) == "Coal, Clay and Shadows"
    assert len(tags.pdf.open_outline().root) >= 7  # chapters in the outline
    counts = tags.counts()
    # the seven chapters, the glossary and subjects have an H1 each; the contents and title
    assert counts["/H1"] >= 9 and counts["/H2"] >= 10
    assert counts["/P"] >= 50 and counts["/L"] >= 2 and counts["/LI"] >= 5
    assert counts["/Table"] == 1 and counts["/TH"] == 3
    titles = [tags.text(h).strip() for h in tags.of_type("/H1")]
    assert "Arrival at the Flat-Topped Hill" in titles and "Glossary" in titles
    (figure,) = tags.of_type("/Figure")
    assert str(figure.Alt).startswith("Four stylised Jun porcelain vessels")


def test_chinese_and_pinyin_spans_carry_their_language(sample_pdfs) -> None:
    tags = Tags(sample_pdfs["en"])
    by_lang: dict[str, list[str]] = defaultdict(list)
    for element in tags.elements:
        if "/Lang" in element:
            by_lang[str(element.Lang)].append(tags.text(element).strip())
    hanzi, pinyin = by_lang["zh-Hans"], by_lang["zh-Latn-pinyin"]
    assert len(hanzi) >= 20 and all(HAN.match(t) for t in hanzi), hanzi
    assert len(pinyin) >= 20 and all(PINYIN.match(t) for t in pinyin), pinyin
    assert "平顶山" in hanzi and "Píngdǐngshān" in pinyin
    # every run of hanzi on the pages is inside an element tagged as Chinese
    all_hanzi = Counter(
        run for text in tags.texts.values() for run in re.findall(r"[\u3400-\u9fff]+", text)
    )
    assert sum(all_hanzi.values()) == sum(Counter(hanzi).values())


def test_the_chinese_pdf_is_chinese_with_pinyin_ruby_tagged(sample_pdfs) -> None:
    tags = Tags(sample_pdfs["zh"])
    assert str(tags.pdf.Root.Lang) == "zh-Hans"
    pinyin = [
        tags.text(e).strip() for e in tags.elements if str(e.get("/Lang", "")) == "zh-Latn-pinyin"
    ]
    assert len(pinyin) >= 20 and all(PINYIN.match(t) for t in pinyin)
    titles = [tags.text(h).strip() for h in tags.of_type("/H1")]
    assert "术语表" in titles and "初到平顶山" in titles


def _marked_content(pdf: pikepdf.Pdf) -> tuple[set[tuple[int, int]], int]:
    """Every MCID on the pages, by (page index, MCID), and how many artifacts there are."""
    mcids: set[tuple[int, int]] = set()
    artifacts = 0
    for number, page in enumerate(pdf.pages):
        for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
            if str(operands[0]) == "/Artifact":
                artifacts += 1
            elif isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                mcids.add((number, int(operands[1].MCID)))
    return mcids, artifacts


def _reached(tags: Tags) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
    """The MCIDs the structure tree reaches, and the type of the element each annotation
    (by its object number) is in."""
    reached: set[tuple[int, int]] = set()
    holders: dict[tuple[int, int], str] = {}

    def walk(node: pikepdf.Dictionary, page: int | None) -> None:
        if node.get("/Pg") is not None:
            page = tags.pages[node.Pg.objgen]
        for kid in Tags._kids(node):
            if isinstance(kid, int):
                reached.add((page, kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                holders[kid.Obj.objgen] = str(node.S)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                reached.add((tags.pages[kid.Pg.objgen], int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, page)

    walk(tags.pdf.Root.StructTreeRoot.K[0], None)
    return reached, holders


def test_pdf_ua_structure_reaches_everything_and_links_are_links(sample_pdfs) -> None:
    """PDF/UA-1: running heads and folios are pagination artifacts, every marked-content
    sequence is reached from the structure root, every link annotation is in a Link, the
    table's headers have a Scope, and every /ID is in the IDTree."""
    glossary = {"en": "Glossary: Jun Ci 钧瓷 Jūncí", "zh": "术语表：钧瓷 Jūncí"}
    for lang in ("en", "zh"):
        tags = Tags(sample_pdfs[lang])
        mcids, artifacts = _marked_content(tags.pdf)
        reached, holders = _reached(tags)
        assert mcids - reached == set(), lang
        # a running head and a folio on most pages after the front matter
        assert artifacts >= len(tags.pdf.pages), (lang, artifacts)
        annotations = [
            a for page in tags.pdf.pages for a in page.get("/Annots", []) if a.Subtype == "/Link"
        ]
        assert len(annotations) >= 15
        assert {holders.get(a.objgen) for a in annotations} == {"/Link"}, lang
        assert [str(th.A.Scope) for th in tags.of_type("/TH")] == ["/Column"] * 3
        ids = {str(e.ID): e for e in tags.elements if "/ID" in e}
        assert ids, lang  # the table's headers, which its cells name
        names = list(tags.pdf.Root.StructTreeRoot.IDTree.Names)
        tree = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        assert set(tree) == set(ids) and all(tree[i].objgen == ids[i].objgen for i in ids)
        for cell in tags.of_type("/TD"):
            headers = cell.get("/A", {}).get("/Headers", [])
            assert all(str(h) in tree for h in headers)
        assert [e for e in tags.elements if Tags._kids(e) in ([], [None])] == [], lang
        # links say where they lead: a chapter, a glossary entry, a web address
        described = [str(a.Contents) for a in annotations]
        assert not [d for d in described if re.fullmatch(r"(gl|ch)-[\w-]+", d)], lang
        assert glossary[lang] in described, described


def test_notes_ornaments_figures_and_link_descriptions(project) -> None:
    """A footnote is a Note with an /ID (its call a Reference); a decorative image is a
    layout artifact, out of the tree; a figure's BBox is in points from the page's
    bottom, inside it; links are described by where they lead; no element is empty."""
    root = project(
        {
            "manuscript/02-pics.md": (
                "---\ntitle: Pictures\n---\n\n"
                "![A bowl with a blue glaze](dot.png)\n\n![](dot.png){.decorative}\n\n"
                "The glaze[^1] is {term}`yao-bian`; see [the first chapter](01-first.md)"
                " and [a museum](https://example.org/museum).\n\n"
                "- one\n-\n- three\n\n[^1]: Fired twice.\n"
            ),
            "manuscript/dot.png": PNG,
        }
    )
    result = run_pubtool("pdf", cwd=root)
    assert result.code == 0, result.stderr
    (pdf,) = (root / "build").glob("*.pdf")
    tags = Tags(pdf)
    # the footnote, and the museum's address as a lettered note
    notes = {str(note.ID): tags.text(note) for note in tags.of_type("/Note")}
    assert sorted(notes) == ["note-1", "note-2"], notes
    assert any("Fired twice." in t for t in notes.values())
    assert any("example.org/museum" in t for t in notes.values())
    assert len(tags.of_type("/Reference")) == 2
    names = list(tags.pdf.Root.StructTreeRoot.IDTree.Names)
    assert set(notes) <= {str(n) for n in names[0::2]}
    (figure,) = tags.of_type("/Figure")  # the ornament is not one
    assert str(figure.Alt) == "A bowl with a blue glaze"
    page = tags.pdf.pages[tags.pages[figure.Pg.objgen]]
    x1, y1, x2, y2 = (float(v) for v in figure.A.BBox)
    width, height = float(page.mediabox[2]), float(page.mediabox[3])
    assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height
    layout = [
        operands
        for page in tags.pdf.pages
        for operands, _ in pikepdf.parse_content_stream(page, "BDC")
        if str(operands[0]) == "/Artifact" and str(operands[1].get("/Type")) == "/Layout"
    ]
    assert len(layout) == 1  # the ornament's drawing
    mcids, _ = _marked_content(tags.pdf)
    reached, _ = _reached(tags)
    assert mcids - reached == set()
    assert [e for e in tags.elements if not Tags._kids(e) or Tags._kids(e) == [None]] == []
    described = {
        str(a.Contents)
        for page in tags.pdf.pages
        for a in page.get("/Annots", [])
        if a.Subtype == "/Link"
    }
    assert "Glossary: Yao Bian 窑变 yáo biàn" in described
    assert "Chapter 1 First Chapter" in described
    assert "https://example.org/museum" in described
    assert not any(d.startswith(("gl-", "ch-", "01-")) for d in described), described
    for page in tags.pdf.pages:
        for annotation in page.get("/Annots", []):
            x1, y1, x2, y2 = (float(v) for v in annotation.Rect)
            assert x1 <= x2 and y1 <= y2
