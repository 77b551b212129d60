"""The LaTeX source of a paper, from its spec and the number of body sentences.

\\posmark{name} (\\pdfsavepos + a \\write at shipout) records in the .aux the page and
(x, y) of the end of the last body sentence ("bodyend"), the References heading
("refhead"), the appendix heading ("apphead") and the body floats ("float-...");
\\gtgeom records the text-area geometry. build.py reads both.
"""

from __future__ import annotations

import random

from bench.tex_corpus.papers import (
    FOOTNOTES,
    SECTION_NAMES,
    TWO_COLUMN,
    Spec,
    fill,
    sentence_stream,
)

MARKS = r"""\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{booktabs}
\usepackage[draft]{graphicx}
\usepackage{etoolbox}
\makeatletter
\newcommand{\gtposition}[4]{}
\newcommand{\gtgeom}[1]{}
\newcommand{\posmark}[1]{\leavevmode\pdfsavepos\write\@auxout{%
\string\gtposition{#1}{\thepage}{\the\pdflastxpos}{\the\pdflastypos}}}
\AtEndDocument{\immediate\write\@auxout{\string\gtgeom{\the\paperheight,%
\the\paperwidth,\the\topmargin,\the\headheight,\the\headsep,\the\textheight,%
\the\voffset,\the\oddsidemargin,\the\hoffset,\the\columnwidth,\the\columnsep,%
\the\textwidth}}}
\makeatother
"""
HEADS = {  # <T1>: the fontenc line or nothing; <FINAL>: the mode's option
    "icml": "\\documentclass{article}\n<T1>\\usepackage{microtype}\n"
    "\\usepackage{hyperref}\n\\newcommand{\\theHalgorithm}{\\arabic{algorithm}}\n\\usepackage<FINAL>{icml2022}\n",
    "neurips": "\\documentclass{article}\n\\usepackage<FINAL>{neurips_2022}\n<T1>"
    "\\usepackage[utf8]{inputenc}\n\\usepackage{hyperref}\n\\usepackage{url}\n"
    "\\usepackage{nicefrac}\n\\usepackage{microtype}\n\\usepackage{xcolor}\n",
    "iclr": "\\documentclass{article}\n\\usepackage{iclr2023_conference,times}\n<T1>"
    "\\usepackage{hyperref}\n\\usepackage{url}\n<FINAL>",
    "acl": "\\documentclass[11pt]{article}\n\\usepackage<FINAL>{acl}\n"
    "\\usepackage{times}\n\\usepackage{latexsym}\n<T1>\\usepackage[utf8]{inputenc}\n\\usepackage{microtype}\n",
    "ieee": "\\documentclass[conference]{IEEEtran}\n<T1>\\usepackage{hyperref}\n",
    "lncs": "\\documentclass[runningheads]{llncs}\n<T1>\\usepackage{hyperref}\n",
    "article": "\\documentclass[11pt]{article}\n\\usepackage{times}\n<T1>"
    "\\usepackage[margin=1in]{geometry}\n\\usepackage[numbers]{natbib}\n"
    "\\usepackage{hyperref}\n",
}
FINAL_OPTION = {
    "icml": ("", "[accepted]"),
    "neurips": ("", "[final]"),
    "iclr": ("", "\\iclrfinalcopy\n"),
    "acl": ("[review]", "[final]"),
}
NUMBERED = r"\patchcmd{\thebibliography}{\section*}{\section}{}{\PATCHFAILED}" + "\n"
KEYWORDS = "efficient training, sparsity, residual networks"


def preamble(spec: Spec) -> str:
    final = FINAL_OPTION.get(spec.tpl, ("", ""))[spec.final]
    t1 = "\\usepackage[T1]{fontenc}\n" if spec.t1 else ""
    tex = HEADS[spec.tpl].replace("<T1>", t1).replace("<FINAL>", final) + MARKS
    if spec.lineno:
        tex += "\\usepackage{lineno}\n\\linenumbers\n"
    if spec.tpl in ("ieee", "lncs"):
        tex += "\\newcommand{\\citep}{\\cite}\n\\newcommand{\\citet}{\\cite}\n"
    mark = "\\protect\\posmark{refhead}"
    if spec.tpl == "acl":  # acl.sty's \thebibliography
        tex += (
            f"\\renewcommand{{\\refname}}{{{spec.refname}}}\n\\makeatletter\n"
            "\\patchcmd{\\thebibliography}{References\\@mkboth}"
            f"{{\\refname{mark}\\@mkboth}}{{}}{{\\PATCHFAILED}}\n\\makeatother\n"
        )
    elif spec.tpl in ("ieee", "lncs"):  # \section*{\refname}
        tex += f"\\renewcommand{{\\refname}}{{{spec.refname}{mark}}}\n"
    else:  # natbib's \bibsection
        star = "" if spec.numbered_refs else "*"
        tex += (
            f"\\renewcommand{{\\refname}}{{{spec.refname}}}\n"
            f"\\renewcommand{{\\bibsection}}{{\\section{star}{{\\refname{mark}}}}}\n"
        )
    if spec.numbered_refs and spec.tpl in ("acl", "ieee", "lncs"):
        tex += NUMBERED
    if spec.tpl == "icml":
        tex += f"\\icmltitlerunning{{{spec.title[:60].rsplit(' ', 1)[0]}}}\n"
    return tex + (metadata(spec) if spec.tpl != "icml" else "")


def metadata(spec: Spec) -> str:
    """pdfauthor naming the authors (ICML sets its own at the title: after it)."""
    if not spec.metadata_author:
        return ""
    return f"\\hypersetup{{pdfauthor={{{', '.join(a.name for a in spec.people)}}}}}\n"


def icml_byline(spec: Spec) -> str:
    labels: dict[str, str] = {}
    names, affs = [], []
    for a in spec.people:
        if a.aff not in labels:
            labels[a.aff] = label = f"aff{len(labels) + 1}"
            affs.append(f"\\icmlaffiliation{{{label}}}{{{a.aff_tex}, {a.addr}}}\n")
        names.append(f"\\icmlauthor{{{a.tex}}}{{{labels[a.aff]}}}\n")
    first = spec.people[0]
    typed = ""
    if spec.manual_byline:  # typed by hand under the title of the anonymous version
        typed = (
            f"\\begin{{center}}{{\\bf {', '.join(a.tex for a in spec.people)}}}\\\\ "
            f"{first.aff_tex}, {first.addr}\\\\ \\texttt{{{first.email}}}"
            "\\end{center}\n"
        )
    return (
        f"\\begin{{document}}\n\\twocolumn[\n\\icmltitle{{{spec.title}}}\n"
        f"\\begin{{icmlauthorlist}}\n{''.join(names)}\\end{{icmlauthorlist}}\n{typed}"
        f"{''.join(affs)}\\icmlcorrespondingauthor{{{first.tex}}}{{{first.email}}}\n"
        f"\\icmlkeywords{{{KEYWORDS}}}\n\\vskip 0.3in\n]\n"
        "\\printAffiliationsAndNotice{}\n"
    )


def front(spec: Spec) -> str:
    """Title, authors and abstract."""
    people, final, tpl = spec.people, spec.final, spec.tpl
    stream = sentence_stream(spec.seed * 7 + 1)
    abstract = " ".join(next(stream) for _ in range(5))
    if spec.github:
        abstract += f" Code: \\url{{https://github.com/{spec.github}/skipgrad}}."
    abstract = f"\\begin{{abstract}}\n{abstract}\n"
    title = f"\\title{{{spec.title}}}\n"
    if tpl == "icml":
        return icml_byline(spec) + metadata(spec) + abstract + "\\end{abstract}\n"
    if tpl == "ieee":
        author = "\\IEEEauthorblockN{Anonymous Authors}\n"
        author += "\\IEEEauthorblockA{Anonymous Institution}"
        if final:
            author = " \\and\n".join(
                f"\\IEEEauthorblockN{{{a.tex}}}\n\\IEEEauthorblockA{{\\textit{{"
                f"{a.aff_tex}}}\\\\\n{a.addr}\\\\\n{a.email}}}"
                for a in people
            )
        return (
            f"\\begin{{document}}\n{title}\\author{{{author}}}\n\\maketitle\n"
            f"{abstract}\\end{{abstract}}\n"
            f"\\begin{{IEEEkeywords}}\n{KEYWORDS}\n\\end{{IEEEkeywords}}\n"
        )
    if tpl == "lncs":
        author, inst, running = "Anonymous Author(s)", "Anonymous Institution", "Anon."
        if final:
            affs = list(dict.fromkeys(a.aff_tex for a in people))
            author = " \\and ".join(
                f"{a.tex}\\inst{{{affs.index(a.aff_tex) + 1}}}" for a in people
            )
            inst = " \\and\n".join(
                f"{aff}, {next(a.addr for a in people if a.aff_tex == aff)}\\\\\n"
                f"\\email{{{', '.join(a.email for a in people if a.aff_tex == aff)}}}"
                for aff in affs
            )
            running = " and ".join(
                "".join(f"{p[0]}.~" for p in a.name.split()[:-1]) + a.tex.split()[-1]
                for a in people
            )
        keywords = KEYWORDS.replace(", ", " \\and ")
        return (
            f"\\begin{{document}}\n{title}\\author{{{author}}}\n"
            f"\\authorrunning{{{running}}}\n\\institute{{{inst}}}\n\\maketitle\n"
            f"{abstract}\\keywords{{{keywords}}}\n\\end{{abstract}}\n"
        )
    author = "Anonymous Author(s)"
    if final or tpl != "article":  # the other templates hide the names themselves
        author = (" \\and\n" if tpl == "article" else " \\And\n").join(
            f"{a.tex} \\\\\n{a.aff_tex} \\\\\n{a.addr} \\\\\n\\texttt{{{a.email}}}"
            for a in people
        )
    date = "\\date{}\n" if tpl == "article" else ""
    return (
        f"{title}\\author{{{author}}}\n{date}\\begin{{document}}\n\\maketitle\n"
        f"{abstract}\\end{{abstract}}\n"
    )


FLOATS = {
    "table": r"""\begin{table}[t]
\caption{Test accuracy (\%) averaged over five seeds.\protect\posmark{float-table}}
\label{tab:main}
\centering
\small
\begin{tabular}{lccc}
\toprule
Method & Small & Medium & Large \\
\midrule
Dense & 71.2 & 64.0 & 58.4 \\
Fixed freezing & 69.8 & 61.5 & 55.2 \\
Ours & \textbf{74.3} & \textbf{64.7} & \textbf{59.5} \\
\bottomrule
\end{tabular}
\end{table}
""",
    "equation": r"""\begin{equation}
\label{eq:objective}
\mathcal{L}(\theta) = \mathbb{E}_{(x,y) \sim \mathcal{P}}\big[\ell(f_\theta(x), y)\big]
+ \lambda \sum_{b=1}^{B} \sigma\big(q_b(\theta) - \tau\big), \quad \tau > 0.
\end{equation}
""",
    "algorithm": r"""\begin{algorithm}[tb]
\caption{Training with block skipping\protect\posmark{float-algorithm}}
\label{alg:main}
\begin{algorithmic}
\STATE {\bfseries Input:} network $f_\theta$, probe $q$, threshold $\tau$
\REPEAT
\STATE Sample a batch and run the forward pass
\STATE Mark every block $b$ with $q_b < \tau$ as skipped
\STATE Back-propagate through the active blocks only
\STATE Update $\theta$ and the probe $q$
\UNTIL{the step budget is used}
\end{algorithmic}
\end{algorithm}
""",
}


def figure(spec: Spec, star: str = "", name: str = "overview") -> str:
    """graphicx's draft mode prints the file name in the figure's frame: text inside
    the figure, as a plot's labels would be."""
    width = "\\columnwidth" if spec.tpl in TWO_COLUMN else "0.7\\linewidth"
    file, caption = (
        "overview",
        "Blocks updated in training (shaded: skipped by the probe).",
    )
    if star:
        width = "0.9\\textwidth"
        file, caption = "learning_curves", "Training curves on every task (5 seeds)."
    return (
        f"\\begin{{figure{star}}}[t]\n\\centering\n\\includegraphics[width={width},"
        f"height=1.4in]{{figures/{file}.pdf}}\n\\caption{{{caption}\\protect\\posmark"
        f"{{float-{name}}}}}\n\\label{{fig:{name}}}\n\\end{{figure{star}}}\n"
    )


def body(spec: Spec, n_sentences: int) -> str:
    """The body: the first n sentences of the paper's own sentence stream."""
    rng = random.Random(spec.seed)
    stream = sentence_stream(spec.seed)
    out = ["\\section{Introduction}\n"]
    used = para = 0
    sections = iter(SECTION_NAMES)
    wanted = {1: "figure", 4: "equation", 6: "table"}
    if spec.algorithm:
        wanted[8] = "algorithm"
    footnotes_left = 2
    budget = rng.randint(10, 16)  # sentences until the next section
    first, last = spec.people[0], spec.people[-1]
    while used < n_sentences:
        k = min(rng.randint(3, 7), n_sentences - used)
        sents = [next(stream) for _ in range(k)]
        if footnotes_left and rng.random() < 0.25:
            sents[rng.randrange(k)] += (
                f"\\footnote{{{fill(rng.choice(FOOTNOTES), rng)}}}"
            )
            footnotes_left -= 1
        text = " ".join(sents)
        used, para = used + k, para + 1
        if para == 1 and spec.email_footnote:
            email = f"\\texttt{{{first.email}}}"
            text += f"\\footnote{{Correspondence to {first.tex} {email}.}}"
        if para == spec.name_break:
            given, family = last.tex.split(" ", 1)
            text += f" We are grateful to {given}\\linebreak {family} for sharing code."
        if para == spec.name_para:
            text += f" We thank {last.tex} for sharing the original code."
        if para == 1 and spec.github:
            text += f"\\footnote{{See \\url{{https://github.com/{spec.github}}}.}}"
        out.append(text + "\n\n")
        if para == 2 and spec.selfcite:
            out.append(
                "As shown by \\citet{nobody2021}, sparse feedback already suffices for "
                "residual networks; we build on their released implementation.\n\n"
            )
        if spec.floats and para in wanted:
            name = wanted.pop(para)
            out.append(figure(spec) if name == "figure" else FLOATS[name])
        if para == 5 and spec.aff_in_body:
            out.append(
                f"All experiments ran on the GPU cluster of the {first.aff_tex}, "
                "with 8 nodes of 4 GPUs each.\n\n"
            )
        if budget <= used < n_sentences:
            command = "subsection" if rng.random() < 0.3 else "section"
            out.append(f"\\{command}{{{next(sections, 'Further Analysis')}}}\n")
            budget = used + rng.randint(10, 18)
    left = [n for n in wanted.values() if n == "equation" or spec.floats]
    out += [
        figure(spec) if n == "figure" else FLOATS[n] for n in left if n != "algorithm"
    ]
    return "".join(out)


def conclusion(spec: Spec) -> str:
    stream = sentence_stream(spec.seed * 13 + 5)
    text = "\\section{Conclusion}\nWe described a simple way to skip unneeded work. "
    text += " ".join(next(stream) for _ in range(3))
    if spec.figstar_last:
        text += "\n" + figure(spec, "*", "curves")
        text += "\nFigure~\\ref{fig:curves} shows the training curves of all tasks."
    first, last = spec.people[0], spec.people[-1]
    heading = {"icml": "Acknowledgements", "ieee": "Acknowledgment"}
    thanks = {
        "section": "We thank the anonymous reviewers for their feedback and the lab "
        "for helpful discussions. This work was supported in part by a research grant.",
        "leak": f"We thank {last.tex} for many helpful discussions and the reviewers "
        f"for their feedback. This work was funded by a grant of the {first.aff_tex}.",
    }
    end = "\\protect\\posmark{bodyend}\n\n"
    if spec.ack in thanks:
        head = heading.get(spec.tpl, "Acknowledgments")
        return f"{text}\n\n\\section*{{{head}}}\n{thanks[spec.ack]}{end}"
    if spec.ack:  # NeurIPS's {ack}: printed in final mode only
        ack = thanks["leak" if spec.ack == "env_leak" else "section"]
        return f"{text}{end}\\begin{{ack}}\n{ack}\n\\end{{ack}}\n"
    return text + end


APPENDIX = {  # first heading (with the marker), second heading
    "lettered": ("\\appendix\n\\section{Proofs<M>}", "\\section{More Experiments}"),
    "titled": ("\\section*{Appendix A: Proofs<M>}", "\\section*{Appendix B: More}"),
    "ieee": ("\\appendices\n\\section{Proofs<M>}", "\\section{More Experiments}"),
    "onecol": ("\\newpage\n\\appendix\n\\onecolumn\n\\section{Supplement<M>}", ""),
}


def appendix(spec: Spec, kind: str) -> str:
    stream = sentence_stream(spec.seed * 17 + 3)
    paras = [" ".join(next(stream) for _ in range(6)) for _ in range(7)]
    first, second = APPENDIX[kind]
    first = first.replace("<M>", "\\protect\\posmark{apphead}")
    if not second:
        return f"{first}\n" + "\n\n".join(paras) + "\n"
    return (
        f"{first}\n"
        + "\n\n".join(paras[:3])
        + f"\n\n{second}\n{paras[3]}\n\n{paras[4]}\n"
    )
