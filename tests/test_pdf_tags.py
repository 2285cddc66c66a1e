"""The PDF for screens (PDF/UA-1): its tag tree read back with pikepdf, and the text of
each tagged element with pypdf, to check structure, alternative text and languages."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pikepdf
from pypdf import PdfReader

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
