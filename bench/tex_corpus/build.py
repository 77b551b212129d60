"""Build one paper: its LaTeX (latex.py's parts and the made-up reference list below),
pdflatex, and its ground truth.

The amount of body text (N sentences) is binary-searched so that the heading that ends
the body, or the end of the body, lands where the spec asks. Ground truth comes from the
TeX markers, not from PDF text extraction: the main body ends on the page of the end of
the last body sentence (the heading's page when body text precedes the heading there,
else the page before; an appendix placed before the references is not body).
Cross-check with poppler (`pdftotext -bbox-layout`): the first line that reads as that
heading; its page counts when >= 15 letters of text lie above it in its column (or in
the left column when it is in the right one). A disagreement, or a body float on a page
after the body ends, is recorded as a doubt about the truth.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree

from bench.tex_corpus.latex import appendix, body, conclusion, front, preamble
from bench.tex_corpus.papers import CITED, TWO_COLUMN, Spec, records

PT = 65536.0  # scaled points per TeX point
PAGE_LIMIT = 4
Pos = tuple[int, float, float]  # page, x, y (TeX pt from the page's lower left)
Line = tuple[
    str, float, float, float, float
]  # text, x0, y0, x1, y1 (PDF, from the top)


def make_tex(spec: Spec, n_sentences: int) -> str:
    tex = preamble(spec) + front(spec) + body(spec, n_sentences) + conclusion(spec)
    if spec.app_before:
        tex += appendix(spec, spec.app_before)
    tex += {"clear": "\\clearpage\n", "colbreak": "\\newpage\n"}.get(spec.place, "")
    cites = re.findall(r"\\cite[tp]?\{([^}]*)\}", tex.split("\\begin{document}")[1])
    keys = list(dict.fromkeys(key for group in cites for key in group.split(",")))
    keys += [
        k for k in random.Random(spec.seed).sample(sorted(CITED), 4) if k not in keys
    ]
    tex += bibliography(keys, spec.tpl, full_self=spec.selfcite_full)
    if spec.app:
        tex += appendix(spec, spec.app)
    return tex + "\\end{document}\n"


# ------------------------------------------------------------------------ references
# Made-up works. key kind year [pages], then: authors (; between) | title | venue
REFERENCE_TABLE = r"""
adler2019 conf 2019 112--121
  Lena Adler; Tomas Brenner | When do residual blocks stop learning?
  | International Conference on Learning Representations
baptiste2020 conf 2020 3310--3322
  Claire Baptiste; Yusuf Demir; Hana Sato; Pablo Quiroga; Anika Roy; Felix Amsel;
  Ines Moreau; Oskar Lind | Gradient sparsity at scale: an empirical account
  | Advances in Neural Information Processing Systems
castillo2018 journal 2018 1--34
  Rosa Castillo; Martin Feld | Adaptive freezing of network layers
  | Journal of Machine Learning Research
dimitrov2021 arxiv 2021
  Ivan Dimitrov; Laura Pfeiffer; Kenji Mori | Cheap probes for expensive networks
  | arXiv preprint arXiv:2101.00001
eriksen2017 conf 2017 455--463
  Sofie Eriksen; Daniel Marsh | Dropping gradients without dropping accuracy
  | Proceedings of the 34th International Conference on Machine Learning
farouk2022 conf 2022
  Amira Farouk; Jonas Weber; Li Na Zhou; Marco Bellini; Priya Nair
  | Layer-wise learning rates for efficient fine-tuning
  | International Conference on Learning Representations
grunwald2016 book 2016
  Peter Grunwald | Optimisation for Deep Learning: A Practical Guide | Example Press
haddad2020 conf 2020 2101--2110
  Samir Haddad; Eva Lindqvist; Tom Becker | Normalisation under partial updates
  | Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition
ivanova2019 conf 2019 88--97
  Maria Ivanova; Ben Carter | Attention budgets for sequence models
  | Proceedings of the Annual Meeting of the Association for Computational Linguistics
jansen2015 journal 2015 201--229
  Erik Jansen; Nora Holm; Victor Lemaire | Convergence of stochastic gradient methods
  with skipped coordinates | SIAM Journal on Optimization
kowalczyk2021 conf 2021 1450--1459
  Anna Kowalczyk; Rui Tanaka; Omar Saleh; Julia Brandt | Graph views of deep networks
  | Proceedings of the 38th International Conference on Machine Learning
nobody2021 conf 2021 1021--1030
  Jane Q. Nobody; Rahul Verma; Chidi Okafor
  | Sparse feedback propagation in deep residual networks
  | Proceedings of the 38th International Conference on Machine Learning
"""


def parse_references(table: str) -> dict[str, tuple[str, str, str, str, str, str]]:
    out = {}
    for head, rest in records(table):
        key, kind, year, *pages = head.split()
        authors, title, venue = (part.strip() for part in rest.split("|"))
        out[key] = (kind, year, "".join(pages), authors, title, venue)
    return out


REFERENCES = parse_references(REFERENCE_TABLE)
SELF = "nobody2021"  # the authors' own earlier paper, cited in the third person
assert set(REFERENCES) == {*CITED, SELF}


def initials(given: str) -> str:
    parts = (part.split("-") for part in given.split())
    return "~".join("-".join(p[0] + "." for p in part) for part in parts)


def entry(key: str, style: str, full_self: bool) -> str:
    """One \\bibitem. Names: natbib/acl in full, ieee "J.~Q. Nobody", icml and lncs
    "Nobody, J.~Q." (icml with full first names for the self-citation if asked)."""
    kind, year, pages, authors, title, venue = REFERENCES[key]
    people = [name.strip().rsplit(" ", 1) for name in authors.split(";")]
    if style == "ieee":
        names = [f"{initials(given)} {family}" for given, family in people]
    elif style in ("icml", "lncs"):
        full = full_self and key == SELF
        names = [
            f"{family}, {given if full else initials(given)}"
            for given, family in people
        ]
    else:
        names = [f"{given} {family}" for given, family in people]
    if len(names) > 2:
        names = [", ".join(names[:-1]) + ",", names[-1]]
    joined = " and ".join(names)
    where = f"\\emph{{{venue}}}" + (f", pages {pages}" if pages else "")
    where = "In " + where if kind == "conf" else where
    if style in ("ieee", "lncs"):  # numbered
        return f"\\bibitem{{{key}}}\n{joined}: {title}. {where} ({year}).\n"
    family = [p[1] for p in people]
    short = " and ".join(family) if len(family) <= 2 else f"{family[0]} et~al."
    joined = joined.rstrip(".")  # "Ba, J" + ". "
    text = (
        f"{joined}. {year}. {title}. {where}."
        if style == "acl"
        else (f"{joined}.\n\\newblock {title}.\n\\newblock {where}, {year}.")
    )
    return f"\\bibitem[{short}({year})]{{{key}}}\n{text}\n"


def bibliography(keys: list[str], tpl: str, full_self: bool = False) -> str:
    style = tpl if tpl in ("icml", "acl", "ieee", "lncs") else "natbib"
    if style not in ("ieee", "lncs"):  # author-year: alphabetical, else cited order
        keys = sorted(keys)
    items = "\n".join(entry(key, style, full_self) for key in keys)
    width = "10" if len(keys) >= 10 else "9"
    return f"\\begin{{thebibliography}}{{{width}}}\n{items}\\end{{thebibliography}}\n"


# ------------------------------------------------------------------------ build
@dataclass
class Truth:
    spec: Spec
    pdf: Path | None = None
    error: str = ""
    sentences: int = 0
    positions: dict[str, Pos] = field(default_factory=dict)
    pages: int = 0
    doubts: list[str] = field(default_factory=list)

    @property
    def main(self) -> int:
        """Main-body pages: the page where the body text ends."""
        return self.positions["bodyend"][0]

    @property
    def end_key(self) -> str:
        return "apphead" if self.spec.app_before else "refhead"

    @property
    def end_page(self) -> int:
        """The page of the heading that ends the body."""
        return self.positions[self.end_key][0]

    @property
    def over(self) -> bool:
        return self.main > PAGE_LIMIT


def pdflatex(folder: Path, tex: str, styles: Path | None, runs: int = 1) -> None:
    (folder / "paper.tex").write_text(tex, encoding="utf-8")
    env = dict(os.environ)
    if styles:  # the trailing separator keeps TeX's own search path
        env["TEXINPUTS"] = f"{styles.resolve()}{os.pathsep}{env.get('TEXINPUTS', '')}"
    command = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"]
    for _ in range(runs):
        for _attempt in range(4):
            # pdfTeX 1.40.24 sometimes segfaults (rc -11) after "\pdfendlink ended up
            # in different nesting level" (lineno splits a link); a rerun goes through.
            done = subprocess.run(
                command, cwd=folder, env=env, capture_output=True, check=False
            )
            if done.returncode != -11:
                break
        if done.returncode != 0:
            log = folder / "paper.log"
            text = log.read_text(errors="replace") if log.exists() else ""
            at = text.find("\n!")
            raise RuntimeError(
                f"pdflatex failed (rc {done.returncode}) in {folder}: "
                + (text[at : at + 400] if at >= 0 else text[-400:]).strip()
            )


def read_aux(folder: Path) -> tuple[dict[str, Pos], dict[str, float]]:
    aux = (folder / "paper.aux").read_text(errors="replace")
    positions: dict[str, Pos] = {}
    mark = r"\\gtposition\{([^}]*)\}\{(\d+)\}\{(-?\d+)\}\{(-?\d+)\}"
    for m in re.finditer(mark, aux):  # the first record of a marker counts
        positions.setdefault(m[1], (int(m[2]), int(m[3]) / PT, int(m[4]) / PT))
    found = re.search(r"\\gtgeom\{([^}]*)\}", aux)
    if not found:
        raise RuntimeError(f"no \\gtgeom in {folder / 'paper.aux'}")
    values = [float(v.removesuffix("pt")) for v in found[1].split(",")]
    height, _, top, head, sep, text_h, voff, side, hoff, col, colsep, _ = values
    return positions, {
        "page_h": height,
        "text_top": height - (72.27 + voff + top + head + sep),  # from the bottom
        "text_h": text_h,
        "split_x": 72.27 + hoff + side + col + colsep / 2,
    }


def progress(pos: Pos, geom: dict[str, float], two_columns: bool) -> float:
    """Page + the fraction of the text area above pos (a column is half a page)."""
    page, x, y = pos
    frac = min(max((geom["text_top"] - y) / geom["text_h"], 0.0), 1.0)
    if not two_columns:
        return page + frac
    return page + 0.5 * (x > geom["split_x"]) + 0.5 * frac


def target(spec: Spec) -> tuple[str, float]:
    """The marker to steer and the progress it must reach."""
    page, two = spec.page, spec.tpl in TWO_COLUMN
    if spec.app_before:
        return "bodyend", page + (0.25 if two else 0.5)
    return {
        "mid": ("refhead", page + 0.5),
        "midleft": ("refhead", page + 0.25),
        "midright": ("refhead", page + 0.75),
        "top": ("refhead", page),
        "clear": ("bodyend", page - 1 + (0.75 if two else 0.5)),
        "colbreak": ("bodyend", page + 0.25),
    }[spec.place]


def build(spec: Spec, work: Path, styles: Path | None) -> Truth:
    """Write, search and compile one paper under work/<id>; never raises."""
    folder = work / spec.id
    folder.mkdir(parents=True, exist_ok=True)
    truth = Truth(spec)
    marker, goal = target(spec)
    cache: dict[int, float] = {}

    def reach(n: int) -> float:
        if n not in cache:
            pdflatex(folder, make_tex(spec, n), styles)
            positions, geom = read_aux(folder)
            cache[n] = progress(positions[marker], geom, spec.tpl in TWO_COLUMN)
        return cache[n]

    try:
        low, high = 5, 1200  # the smallest n whose heading reaches the goal
        pdflatex(folder, make_tex(spec, low), styles)  # the .aux: citations, labels
        reach(low)
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (low, middle) if reach(middle) >= goal else (middle, high)
        pdflatex(folder, make_tex(spec, high), styles, runs=2)
        truth.sentences, truth.pdf = high, folder / "paper.pdf"
        truth.positions, geom = read_aux(folder)
        cross_check(truth, geom)
    except (
        OSError,
        RuntimeError,
        KeyError,
        ValueError,
        subprocess.SubprocessError,
    ) as exc:
        truth.error = f"{type(exc).__name__}: {exc}"
    return truth


# ------------------------------------------------------------------------ cross-check
def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("\u0131", "i"))
    return re.sub(
        r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c))
    )


def poppler_pages(pdf: Path) -> list[tuple[float, float, list[Line]]]:
    command = ["pdftotext", "-bbox-layout", str(pdf), "-"]
    xml = subprocess.run(command, capture_output=True, check=True).stdout
    xml = re.sub(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", b"?", xml)  # T1 ligatures
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in ElementTree.fromstring(xml).iter(ns + "page"):
        lines: list[Line] = []
        for line in page.iter(ns + "line"):
            words = " ".join(word.text or "" for word in line.iter(ns + "word"))
            x0, y0, x1, y1 = (
                float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")
            )
            lines.append((words, x0, y0, x1, y1))
        pages.append((float(page.get("width")), float(page.get("height")), lines))
    return pages


def poppler_main(truth: Truth, geom: dict[str, float]) -> tuple[int | None, int, int]:
    """(heading page, main-body pages, pages) as read from the PDF's text."""
    spec = truth.spec
    pages = poppler_pages(truth.pdf or Path())
    forms = {"lettered": "aproofs", "titled": "appendixaproofs", "ieee": "appendixa"}
    form = forms[spec.app_before] if spec.app_before else norm(spec.refname)
    two = spec.tpl in TWO_COLUMN
    top_band = (geom["page_h"] - geom["text_top"]) * 72 / 72.27 - 2  # running heads
    for number, (width, height, lines) in enumerate(pages, 1):

        def right(line: Line, mid: float = width / 2) -> bool:
            return two and line[1] >= mid

        def row(line: Line, lines: list[Line] = lines) -> str:  # "A" / "Proofs"
            same = [
                o
                for o in lines
                if min(o[4], line[4]) - max(o[2], line[2]) > 2
                and right(o) == right(line)
            ]
            return norm(" ".join(o[0] for o in sorted(same, key=lambda o: o[1])))

        heads = [
            line
            for line in lines
            if norm(line[0]) == form or (len(norm(line[0])) <= 3 and row(line) == form)
        ]
        if not heads:
            continue
        head = min(heads, key=lambda line: (right(line), line[2]))
        letters = sum(
            sum(c.isalpha() for c in line[0])
            for line in lines
            if line is not head
            and line[4] >= top_band
            and line[2] <= 0.95 * height
            and (
                (right(line) == right(head) and line[4] <= head[2] + 1)
                or (right(head) and line[3] <= width / 2)
            )
        )
        return number, number if letters >= 15 else number - 1, len(pages)
    return None, len(pages), len(pages)


def cross_check(truth: Truth, geom: dict[str, float]) -> None:
    head, main, truth.pages = poppler_main(truth, geom)
    if main != truth.main:
        truth.doubts.append(f"poppler reads {main} main pages (heading p{head})")
    elif head != truth.end_page:
        truth.doubts.append(f"poppler finds the heading on p{head}")
    late = [
        k for k, v in truth.positions.items() if k[:5] == "float" and v[0] > truth.main
    ]
    if late:
        truth.doubts.append(f"{', '.join(late)} after the last page of body text")
