"""What the corpus holds: the authors, the 108 paper specs, and the prose they are
made of (sentences written for this bench, filled in at random with a seed).

Spec rows: ``id template mode place:page authors [option ...]``, then indented
lines with a note. mode: S = anonymous submission, F = camera-ready (final).
place, where the heading that ends the body lands (P = page):
  one column:  mid P (mid page, body above it: main body P); top P (top of the page,
               no forced break: P-1); clear P (body ends mid P-1, \\clearpage: P-1)
  two columns: midleft P / midright P (mid left / right column: P); top P (P-1);
               clear P (body ends mid right column of P-1: P-1); colbreak P (body
               ends mid left column of P, \\newpage, heading on top of the right: P)
Options (see Spec): app= / app_before= appendix after / before the references
(lettered "A Proofs", titled "Appendix A: Proofs", ieee \\appendices, onecol ICML
\\onecolumn); ident= what identifies an author: none, byline (names above the
abstract), email (an author's email in the text), body (name or affiliation in the
text: warning expected), metadata (only the PDF Info names them).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, fields

TWO_COLUMN = {"icml", "acl", "ieee"}
# What a template needs beyond Debian's TeX Live (found in --styles, else by kpsewhich)
STYLE_FILES = {
    "icml": ["icml2022.sty"],
    "neurips": ["neurips_2022.sty"],
    "iclr": ["iclr2023_conference.sty"],
    "acl": ["acl.sty"],
    "ieee": ["IEEEtran.cls"],
    "lncs": ["llncs.cls"],
    "article": [],
}
A4_TEMPLATES = {"acl"}  # page_size warns about A4 in camera_ready mode, by design


def records(block: str) -> list[tuple[str, str]]:
    """Lines of a table block: (head line, its indented continuation lines joined)."""
    out: list[tuple[str, list[str]]] = []
    for line in block.strip("\n").splitlines():
        if line[:1].isspace():
            out[-1][1].append(line.strip())
        elif line.strip():
            out.append((line.strip(), []))
    return [(head, " ".join(rest)) for head, rest in out]


@dataclass(frozen=True)
class Author:
    key: str
    tex: str
    name: str
    email: str
    aff: str
    aff_tex: str
    addr: str

    def __post_init__(self) -> None:
        if self.aff_tex == "=":
            object.__setattr__(self, "aff_tex", self.aff)

    def identity(self) -> str:
        return f"{self.name} <{self.email}> ({self.aff})"


# key | name in TeX | name | email, then: affiliation | in TeX (= the same) | address
AUTHORS = {
    a.key: a
    for a in (
        Author(*(field.strip() for field in f"{head} {rest}".split("|")))
        for head, rest in records(r"""
jane | Jane Q. Nobody | Jane Q. Nobody | jane.nobody@nowhere.edu
  | Nowhere Institute of Technology | = | Cambridge, MA, USA
rahul | Rahul Verma | Rahul Verma | rverma@elsewhere.ac.uk
  | University of Elsewhere | = | Leeds, UK
zoe | Zo\"e M\"uller-L\"udenscheidt | Zoë Müller-Lüdenscheidt
  | zoe.mueller@tu-irgendwo.de
  | Technische Universität Irgendwo | Technische Universit\"at Irgendwo
  | Irgendwo, Germany
chidi | Chidi Okafor | Chidi Okafor | c.okafor@lagos-ai.org
  | Lagos AI Research Lab | = | Lagos, Nigeria
carlos | Carlos D'Souza | Carlos D'Souza | carlos.dsouza@gmail.com
  | Mila | Mila -- Qu\'ebec AI Institute | Montr\'eal, Canada
meiling | Mei-Ling Chen | Mei-Ling Chen | mlchen@nowhere.edu
  | Nowhere Institute of Technology | = | Cambridge, MA, USA
jose | Jos\'e Ram\'on Garc\'{\i}a-P\'erez | José Ramón García-Pérez | jgarcia@upm.es
  | Universidad Politécnica de Madrid | Universidad Polit\'ecnica de Madrid
  | Madrid, Spain
""")
    )
}

TITLES = [
    "Skipping the Backward Pass: Adaptive Block Freezing for Faster Training",
    "How Much Gradient Does a Network Need? A Study of Update Sparsity",
    "Probing Block Activity to Save Computation in Deep Residual Networks",
    "Cheap Training Signals: Threshold Schedules Learned on the Fly",
    "When Can Layers Stop Learning? Early Freezing without Calibration Runs",
]
SECTION_NAMES = [
    *("Related Work", "Background", "Method", "Theoretical Analysis"),
    *("Experimental Setup", "Results", "Ablations", "Discussion", "Limitations"),
    *("Additional Analysis", "Extended Results", "Further Experiments"),
    *("Sensitivity Analysis", "Case Study"),
]

# ----------------------------------------------------------------------------- specs
SPEC_TABLE = r"""
s01 icml S midleft:2 jane,rahul
s02 icml S midright:2 jane app=lettered
s03 icml S top:3 chidi,jane app=onecol
s04 icml S midleft:3 meiling floats
s05 icml S colbreak:3 jane,rahul app=onecol floats
s06 icml S clear:4 zoe refname=Bibliography floats
s07 icml S midright:4 jane,rahul app=onecol floats algorithm
s08 icml S top:5 carlos app=lettered floats
s09 icml S colbreak:4 jane refname=Bibliography floats algorithm
s10 icml S midleft:4 zoe,jane app=onecol floats t1
s11 icml S midleft:5 jane,rahul floats
s12 icml S colbreak:5 meiling app=onecol floats
s13 icml S midright:5 chidi app=lettered floats algorithm
s14 icml S clear:6 jane,rahul floats
s15 icml S midright:6 jane app=onecol floats algorithm
s16 icml S top:7 carlos,jane floats
s17 icml S top:5 jane,rahul floats algorithm
s18 icml S midright:3 rahul refname=Bibliography app=lettered
f01 icml F midleft:2 jane,rahul ack=section
f02 icml F midright:3 zoe ack=section app=lettered floats
f03 icml F midright:4 chidi,jane,rahul ack=section app=onecol floats algorithm
f04 icml F top:5 carlos floats
f05 icml F midleft:5 meiling,jane ack=section floats t1
f06 icml F colbreak:6 jane,rahul refname=Bibliography ack=section floats
f07 icml F midright:4 jose floats
f08 icml F midright:4 zoe,jose floats t1
i01 icml S midright:4 jane,rahul floats metadata_author ident=metadata
i02 icml S midleft:3 jane,rahul selfcite
  third-person self-citation 'Nobody et al. (2021)', entry 'Nobody, J. Q., ...'
i03 icml S midleft:4 jane,rahul floats email_footnote ident=email
i04 icml S midright:3 jane github=jnobody ident=body
i05 icml S midright:3 jane github=jqn-lab ident=body
  github.com/jqn-lab (username unrelated to the identity given): undetectable
i06 icml S midright:4 jane,rahul ack=leak floats ident=body
i07 icml S midleft:4 jane,rahul manual_byline floats ident=byline
i08 icml S midright:4 meiling aff_in_body floats ident=body
i09 icml S midleft:3 jane,rahul selfcite selfcite_full
  self-citation entry with full first names 'Nobody, Jane Q.' (third person)
i10 icml S midleft:4 jose,zoe manual_byline floats ident=byline
i11 icml S midleft:4 jane,rahul name_break=6 floats ident=body
x01 icml S midleft:4 jane app_before=lettered floats
x02 icml S midleft:4 jane app_before=titled floats
x03 icml S top:5 jane figstar_last floats
  figure* of p4 floats to the top of p5, above the References heading
x04 icml S midright:4 rahul numbered_refs app=onecol floats
x05 icml S midleft:5 jane floats declared=4
n01 neurips S mid:3 jane,rahul app=lettered
n02 neurips S top:5 jane app=lettered floats
n03 neurips S mid:5 chidi floats
n04 neurips S mid:4 jane,rahul app_before=lettered floats
n05 neurips S clear:4 rahul refname=Bibliography floats
n06 neurips F mid:4 jane,rahul ack=env app=lettered floats
n07 neurips F mid:3 zoe,jose t1=0
n08 neurips S mid:4 jane,rahul name_break=3 floats ident=body
  line numbers (lineno); 'Rahul' / 'Verma' broken across two numbered lines on p1
n09 neurips S mid:4 jane,rahul email_footnote floats ident=email
n10 neurips S mid:4 jane,rahul ack=leak floats ident=body
n11 neurips S mid:4 jane,rahul ack=env_leak floats
  {ack} environment naming the co-author: hidden by the template in submission mode
n12 neurips S mid:4 jane numbered_refs app=lettered floats
n13 neurips S mid:4 jane,rahul metadata_author floats ident=metadata
n14 neurips S mid:4 jane app_before=titled floats
c01 iclr S mid:3 jane,rahul app=lettered
c02 iclr S top:5 jane floats
c03 iclr S mid:5 chidi app=lettered floats
c04 iclr S mid:4 jane,rahul app_before=lettered floats
c05 iclr S mid:4 jane,rahul refname=Bibliography selfcite floats
  third-person self-citation; entry with full names (plainnat style)
c06 iclr F mid:4 jane,carlos ack=section floats
c07 iclr S mid:4 jane numbered_refs app=lettered floats
c08 iclr S mid:4 jane app_before=titled floats
a01 acl S midleft:3 jane,rahul app=lettered
a02 acl S midright:4 jane floats
a03 acl S colbreak:4 chidi app=lettered floats
a04 acl S top:5 jane floats
a05 acl S clear:5 rahul floats
a06 acl S midleft:5 jane,rahul floats
a07 acl S midright:4 jane,rahul name_break=3 floats ident=body
  co-author named in a body paragraph, 'Rahul' / 'Verma' on two numbered lines
a08 acl S midleft:4 jane app_before=lettered floats
a09 acl F midright:4 zoe,jane ack=section floats
a10 acl F midright:3 jose,zoe t1=0
a11 acl S midright:4 jane,rahul ack=leak floats ident=body
a12 acl S midleft:4 jane,rahul selfcite floats
  third-person self-citation; ACL entries carry full names
e01 ieee S midleft:3 jane,rahul
e02 ieee S midright:4 jane floats
e03 ieee S colbreak:4 chidi floats
e04 ieee S top:5 jane floats
e05 ieee S midleft:5 rahul floats
e06 ieee S midright:4 jane app_before=ieee floats
e07 ieee F midright:4 jane,rahul,chidi ack=section floats
e08 ieee F midleft:4 zoe,jose floats
e09 ieee S midright:4 jane,rahul email_footnote floats ident=email
e10 ieee S midright:3 jane refname=Bibliography app=ieee
e11 ieee S midright:4 jane,rahul name_para=3 floats ident=body
  IEEE puts the [t] figure above the abstract; co-author thanked by name in the
  intro, upper right column of p1
l01 lncs S mid:3 jane,rahul
l02 lncs S top:5 jane floats
l03 lncs S mid:5 chidi app=lettered floats
l04 lncs S mid:4 jane,rahul app_before=lettered floats
l05 lncs F mid:4 jane,rahul ack=section floats
l06 lncs F mid:4 zoe,jose t1 floats
l07 lncs S mid:4 jane numbered_refs app_before=titled floats
l08 lncs S mid:4 jane,rahul selfcite floats
  third-person self-citation; splncs entries with initials 'Nobody, J.Q.'
l09 lncs S top:4 jane floats
t01 article S mid:3 jane,rahul
t02 article S top:5 jane floats
t03 article S mid:5 chidi floats
t04 article S mid:4 jane,rahul lineno name_break=3 floats ident=body
  \linenumbers; 'Rahul' / 'Verma' on two numbered lines
t05 article S mid:4 jane app_before=titled floats
t06 article F mid:4 zoe,jose floats
t07 article F mid:4 zoe,jose t1 floats
t08 article S clear:4 rahul refname=Bibliography floats
t09 article S mid:4 carlos,jane email_footnote floats ident=email
t10 article S mid:4 jane app_before=lettered floats
t11 article S mid:4 jane,rahul name_break=3 floats ident=body
  no line numbers; 'Rahul' \linebreak 'Verma': the stretched line before the break
t12 article S mid:4 jane,rahul lineno name_para=3 floats ident=body
"""


@dataclass(frozen=True)
class Spec:
    id: str
    tpl: str
    final: bool
    place: str
    page: int
    authors: tuple[str, ...]
    ident: str = ""
    refname: str = "References"
    note: str = ""
    app: str = ""  # appendix after the references
    app_before: str = ""  # appendix before the references: the body ends at it
    floats: bool = False  # figure, table (and equation) in the body
    algorithm: bool = False  # ICML algorithm float
    t1: bool = False  # \usepackage[T1]{fontenc} (default: as the template's example)
    ack: str = ""  # section, leak (names a co-author), env / env_leak (NeurIPS {ack})
    metadata_author: bool = False
    selfcite: bool = False
    selfcite_full: bool = False  # the self-citation entry with full first names
    email_footnote: bool = False
    github: str = ""
    manual_byline: bool = False
    aff_in_body: bool = False
    name_break: int = 0  # paragraph thanking the last author, \linebreak in the name
    name_para: int = 0  # paragraph thanking the last author (name on one line)
    figstar_last: bool = False
    numbered_refs: bool = False
    lineno: bool = False
    declared: int = 0  # declared main-body length passed to the checker

    @property
    def mode(self) -> str:
        return "final" if self.final else "submission"

    @property
    def seed(self) -> int:
        return int(self.id[1:]) * 1000 + ord(self.id[0])

    @property
    def title(self) -> str:
        return TITLES[self.seed % len(TITLES)]

    @property
    def people(self) -> list[Author]:
        return [AUTHORS[key] for key in self.authors]


def parse_specs(table: str) -> list[Spec]:
    kinds = {f.name: f.type for f in fields(Spec)}
    specs = []
    for head, note in records(table):
        pid, tpl, mode, place, authors, *options = head.split()
        kind, page = place.split(":")
        values: dict[str, object] = {"t1": tpl in ("neurips", "acl")}
        for option in options:
            name, _, value = option.partition("=")
            if kinds[name] == "bool":
                values[name] = value != "0"
            else:
                values[name] = int(value) if kinds[name] == "int" else value
        values.setdefault("ident", "byline" if mode == "F" else "none")
        specs.append(
            Spec(
                id=pid,
                tpl=tpl,
                final=mode == "F",
                place=kind,
                page=int(page),
                authors=tuple(authors.split(",")),
                note=note,
                **values,  # type: ignore[arg-type]
            )
        )
    return specs


SPECS = parse_specs(SPEC_TABLE)

# ----------------------------------------------------------------------------- prose
METHODS = ["SPARSEPROP", "SKIPGRAD", "DiffNorm", "GraphMix", "TRACE", "LoRA-Q"]
DATASETS = [
    *("CIFAR-10", "ImageNet", "MuJoCo Ant", "WikiText-103", "OGB-Arxiv", "SVHN"),
    *("the long-horizon maze task", "the block-stacking task"),
]
ADJ = ["robust", "efficient", "scalable", "simple", "principled", "stable"]
CITED = [  # build.py's reference list holds these (made-up) works
    *("adler2019", "baptiste2020", "castillo2018", "dimitrov2021", "eriksen2017"),
    *("farouk2022", "grunwald2016", "haddad2020", "ivanova2019", "jansen2015"),
    "kowalczyk2021",
]

# One sentence a line, with str.format slots (filled in by fill()).
SENTENCES = r"""
Training large models on {D} remains a bottleneck for groups with {n} GPUs or fewer.
We ask how much of the gradient signal is needed for steady progress {cite}.
After epoch {n}, most parameter updates are small and strongly correlated.
We introduce {M}, a {adj} procedure that skips the backward pass of idle blocks.
On {D}, {M} reaches the reference accuracy {p}\% faster than dense training.
Earlier gradient pruning relied on hand-tuned schedules that transfer poorly {cite}.
Following \citet{{{key}}}, we estimate the threshold instead of fixing it.
A warm-up of the threshold over {n} steps avoids instabilities early in training.
The threshold is picked from a grid of {n} values on a held-out split.
All networks are trained with Adam {cite} and a cosine decay over {n} epochs.
Table~\ref{{tab:main}} lists the final accuracy of every method over {n} seeds.
Figure~\ref{{fig:overview}} sketches which blocks are updated at each step.
Equation~\ref{{eq:objective}} is smooth, so stochastic gradients minimise it.
A lower value of this objective means less computation spent on tiny updates {cite}.
In our ablations on {D} the skipping criterion mattered more than the block size.
Unlike {M}, those methods need a calibration run before training starts.
{M} therefore adds no hyperparameter that must be tuned per task.
A small linear probe, trained with the network, decides what to skip {cite}.
Let $\mathcal{{X}}$ be the input space and $\mathcal{{Y}}$ the label space.
We write $\theta_t$ for the parameters after $t$ steps of {n} examples each.
Every number is a mean over {n} runs with its bootstrap standard error.
Normalisation statistics {cite} are frozen while a block is skipped.
A {adj} variant without the probe is within {p}\% of the full method on {D}.
The remaining gap stems from the first {n} epochs, when all blocks are still active.
Dropout {cite} with probability $0.{d}$ follows every residual block.
The probe is cheap: it costs about {p}\% of one training step.
A related line of work freezes whole layers on a fixed schedule {cite}.
The criterion of {M} is evaluated at every step and can wake a frozen block again.
Raising the batch size from {n} to {n2} reduces the variance between seeds.
Our code is a thin wrapper around a standard training loop {cite}.
On {D}, every baseline except {M} stalls before it reaches the target accuracy.
The appendix lists all {n} hyperparameters and the hardware used for each run.
This smoothness condition is standard for stochastic gradient methods {cite}.
With $\eta = 0.01$ and {n} steps, the bound is loose by a constant factor only.
Graph-based models {cite} view each block as a node of a dependency graph.
Attention layers {cite} gave no further gain in our early runs on {D}.
Savings are largest for deep and narrow networks, where {p}\% of blocks settle early.
Warm-starting from a checkpoint {cite} is orthogonal to our method.
""".strip().splitlines()
FOOTNOTES = [
    "The baselines use the hyperparameters recommended by their authors.",
    "The remaining {n} configurations behave in the same way.",
    "Each run uses one GPU; the complete sweep needs about {n} GPU hours.",
    "The probe is reset every {n} steps, which reduced overfitting in our runs.",
]


def fill(template: str, rng: random.Random) -> str:
    n = rng.choice([3, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 200, 500])
    cited = rng.sample(CITED, rng.choice([1, 1, 2]))
    return template.format(
        M=rng.choice(METHODS),
        D=rng.choice(DATASETS),
        adj=rng.choice(ADJ),
        p=rng.randint(2, 45),
        n=n,
        n2=n * rng.choice([2, 4, 10]),
        d=rng.randint(1, 5),
        key=rng.choice(CITED),
        cite="\\citep{" + ",".join(cited) + "}",
    )


def sentence_stream(seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    while True:
        yield fill(rng.choice(SENTENCES), rng)
