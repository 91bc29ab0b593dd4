"""Paper-like PDFs for tests and the full-text benchmark, written with fpdf2.

A page is laid out the way conference papers are: a running header and a page
number on every page, the title and abstract across the full width of page 1,
the body in two columns. Lines are broken here (not by fpdf2) so that long
words can be hyphenated at a line end, as TeX does. Text in a TrueType font
keeps ligature characters ("ﬁ") in the text layer, as real papers do.

Not part of the package: the product reads PDFs, it never writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

#: TrueType fonts with the ﬁ/ﬂ ligature glyphs, where Debian and others keep them.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)

PAGE_W, PAGE_H = 612.0, 792.0  # US letter, points
MARGIN = 54.0
GUTTER = 18.0
COL_W = (PAGE_W - 2 * MARGIN - GUTTER) / 2
LEADING = 12.0
BODY_TOP = 90.0
BODY_BOTTOM = PAGE_H - 70.0


def ttf_font() -> str | None:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return path
    return None


@dataclass
class PaperSpec:
    title: str
    abstract: str
    #: (heading, paragraphs); a heading of "" continues the previous section
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    header: str = "Preprint. Under review at an imaginary venue."
    authors: str = "Ada Example, Bo Sample"
    #: words (lower case) to hyphenate when they fall on a line end, with the split point
    hyphenate: dict[str, int] = field(default_factory=dict)
    #: write each page's lines row by row across both columns (as some producers do),
    #: so that content order is not reading order
    interleave: bool = True
    #: a line written up the left margin of page 1, as arXiv stamps its PDFs
    stamp: str = ""


class _Writer:
    def __init__(self, font: str | None, size: float = 9.5, interleave: bool = False):
        self.interleave = interleave
        self.items: list[tuple[float, float, float, str]] = []
        self.pdf = FPDF(format="letter", unit="pt")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_compression(True)
        if font:
            self.pdf.add_font("body", "", font)
            self.family = "body"
        else:
            self.family = "helvetica"
        self.size = size
        self.page = 0
        self.col = 0
        self.y = BODY_TOP

    def font(self, size: float | None = None) -> None:
        self.pdf.set_font(self.family, size=size or self.size)

    def text(self, x: float, y: float, s: str, size: float | None = None) -> None:
        self.items.append((y, x, size or self.size, s))

    def flush(self) -> None:
        """Write the page's lines: in layout order, or row by row when interleaving."""
        items = sorted(self.items, key=lambda t: (t[0], t[1])) if self.interleave else self.items
        for y, x, size, s in items:
            self.pdf.set_font(self.family, size=size)
            self.pdf.text(x, y, s)
        self.items = []
        self.font()

    def new_page(self, header: str) -> None:
        if self.page:
            self.flush()
        self.pdf.add_page()
        self.font()
        self.page += 1
        self.text(MARGIN, 36, header, 8)
        self.text(PAGE_W / 2 - 3, PAGE_H - 36, str(self.page), 8)
        self.col, self.y = 0, BODY_TOP

    def width(self, s: str) -> float:
        return self.pdf.get_string_width(s)

    def wrap(self, text: str, width: float, hyphenate: dict[str, int], size: float | None = None) -> list[str]:
        self.font(size)
        lines: list[str] = []
        cur = ""
        for word in text.split():
            trial = f"{cur} {word}" if cur else word
            if self.width(trial) <= width:
                cur = trial
                continue
            cut = hyphenate.get(word.lower().strip(".,;:()"))
            if cut and cur and self.width(f"{cur} {word[:cut]}-") <= width:
                lines.append(f"{cur} {word[:cut]}-")
                cur = word[cut:]
                continue
            if cur:
                lines.append(cur)
            cur = word
        if cur:
            lines.append(cur)
        self.font()
        return lines

    def full_width(self, lines: list[str], size: float | None = None, center: bool = False) -> None:
        self.font(size)
        lead = (size or self.size) * 1.3
        for line in lines:
            x = (PAGE_W - self.width(line)) / 2 if center else MARGIN
            self.text(x, self.y, line, size)
            self.y += lead
        self.font()

    def column_lines(self, lines: list[str], header: str, size: float | None = None) -> None:
        for line in lines:
            if self.y > BODY_BOTTOM:
                if self.col == 0:
                    self.col, self.y = 1, self.col_top
                else:
                    self.new_page(header)
                    self.col_top = BODY_TOP
            x = MARGIN + self.col * (COL_W + GUTTER)
            if line:
                self.text(x, self.y, line, size)
            self.y += LEADING


def write_paper_pdf(path: str | Path, spec: PaperSpec, font: str | None = "auto") -> Path:
    """Write ``spec`` as a two-column paper PDF at ``path``."""
    w = _Writer(ttf_font() if font == "auto" else font, interleave=spec.interleave)
    w.new_page(spec.header)
    if spec.stamp:
        w.font(14)
        with w.pdf.rotation(90, 30, 560):
            w.pdf.text(30, 560, spec.stamp)
        w.font()
    w.y = 80
    w.full_width(w.wrap(spec.title, PAGE_W - 2 * MARGIN, {}, 15), size=15, center=True)
    w.full_width([spec.authors], size=10, center=True)
    w.y += 8
    w.full_width(["Abstract"], size=11, center=True)
    w.full_width(w.wrap(spec.abstract, PAGE_W - 2 * MARGIN - 60, spec.hyphenate), center=False)
    w.y += 10
    w.col_top = w.y
    for heading, paragraphs in spec.sections:
        if heading:
            w.column_lines([""], spec.header)
            w.column_lines([heading], spec.header, size=11)
        for para in paragraphs:
            w.column_lines(w.wrap(para, COL_W, spec.hyphenate), spec.header)
    w.flush()
    path = Path(path)
    w.pdf.output(str(path))
    return path


def scanned_pdf(path: str | Path) -> Path:
    """A PDF whose pages are only drawings: no text layer, as a scan has."""
    pdf = FPDF(format="letter", unit="pt")
    for _ in range(2):
        pdf.add_page()
        for i in range(40):
            pdf.rect(MARGIN, 80 + i * 15, 300 + (i * 37) % 150, 6, style="F")
    path = Path(path)
    pdf.output(str(path))
    return path


def encrypted_pdf(path: str | Path, spec: PaperSpec, password: str = "secret") -> Path:
    """``spec`` as a PDF that needs a user password to open."""
    w = _Writer(None)
    w.pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    w.new_page(spec.header)
    w.full_width(w.wrap(spec.title, PAGE_W - 2 * MARGIN, {}, 15), size=15)
    w.full_width(w.wrap(spec.abstract, PAGE_W - 2 * MARGIN, {}))
    w.flush()
    path = Path(path)
    w.pdf.output(str(path))
    return path


# -- an invented paper (no sentence from the evaluation sets) -------------------------------

FILLER = (
    "The routing weights are computed once per block and cached, which keeps the overhead "
    "of the gating network small compared with the attention layers. We report the mean of "
    "three seeds throughout and observe a standard deviation below half a point."
)


def sample_spec(filler: int = 0) -> PaperSpec:
    """A paper with everything the full-text reader must handle; ``filler`` extra
    paragraphs in the method section make it longer (for the benchmark)."""
    method = [
        "Tidewater replaces the dense feed-forward block with a set of experts and a "
        "learned router that sends each token to two of them. The router is trained with "
        "an auxiliary balancing loss and a small amount of noise, which improves the "
        "regularization of rarely chosen experts.",
        "Unlike earlier designs, the router sees a compressed summary of the preceding "
        "segment, so the efficiency of sparse computation carries over to long inputs.",
    ] + [FILLER] * filler
    return PaperSpec(
        title="Tidewater: Sparse Expert Routing for Long-Context Language Models",
        abstract=(
            "We propose Tidewater, a sparse expert routing method for long-context "
            "language modeling. Tidewater keeps the compute per token constant while the "
            "context grows, and it matches dense baselines at a fraction of their cost."
        ),
        sections=[
            ("1 Introduction", [
                "Long contexts make dense Transformers expensive. We introduce Tidewater, "
                "a routing scheme whose cost does not grow with the context length.",
            ]),
            ("2 Related Work", [
                "Sparse mixtures of experts were scaled up by GShard and later simpliﬁed "
                "by the Switch Transformer. Retrieval models such as RETRO take another "
                "route. XLNet studied long-range dependencies with a permutation objective.",
            ]),
            ("3 Method", method),
            ("4 Experimental Setup", [
                "We train all models on 64 NVIDIA A100 80GB GPUs for 3 days, about "
                "4,600 GPU hours in total. We evaluate on WikiText-103 and the C4 corpus, "
                "and we use AdamW with a cosine schedule for the ﬁrst stage. Our baseline is Longformer, "
                "trained with the same budget.",
            ]),
            ("5 Results", [
                "Tidewater outperforms Longformer on WikiText-103 by 1.8 perplexity points "
                "and reaches the same quality on C4 with a third of the compute.",
            ]),
            ("6 Conclusion", [
                "Sparse routing makes long contexts aﬀordable and ﬂexible; we release our code.",
            ]),
            ("References", [
                "[1] D. Lepikhin et al. GShard: Scaling giant models with conditional "
                "computation and automatic sharding. 2020.",
                "[2] W. Fedus et al. Switch Transformers: sparse experts that route "
                "each token to one feed-forward block. 2021.",
                "[3] Z. Yang et al. XLNet: Generalized autoregressive pretraining for "
                "language understanding. 2019.",
            ]),
        ],
        hyphenate={"regularization": 7, "efficiency": 5, "expensive": 3, "dependencies": 6},
    )
