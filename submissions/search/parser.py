"""The search language, parsed into a small tree (no database here).

    query  := or
    or     := and ("OR" and)*
    and    := not (["AND"] not)*          two terms side by side: both must hold
    not    := ("NOT" | "-") not | atom
    atom   := "(" or ")" | term
    term   := word | "a phrase" | #tag | key:value | key:"a value"

AND, OR and NOT are written in capitals (lower-case "and" is a word to look for).
Every node keeps where it starts in the query, so an error can point at it.
"""

from dataclasses import dataclass, field

MAX_LENGTH = 1000
MAX_DEPTH = 40
OPERATORS = {"AND", "OR", "NOT"}
SPECIAL = '()"'


class SearchError(Exception):
    """A query the language cannot answer: `message` for people, `position` (0-based
    index into the query) and `length` for the part to underline."""

    def __init__(self, message: str, position: int, length: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.position = max(position, 0)
        self.length = max(length, 1)

    def __str__(self) -> str:
        return f"{self.message} (at character {self.position + 1})"


@dataclass(frozen=True)
class Term:
    """`key` is "" for free text and "#" for a tag; `value` is what follows."""

    key: str
    value: str
    start: int  # where the term starts (the key, the # or the word)
    value_start: int  # where its value starts
    end: int
    raw: str = field(default="", compare=False)  # as typed

    def error(self, message: str, *, at_value: bool = False) -> SearchError:
        if at_value:
            return SearchError(message, self.value_start, self.end - self.value_start)
        return SearchError(message, self.start, self.end - self.start)


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Not:
    child: "Node"


Node = Term | And | Or | Not


@dataclass
class Token:
    kind: str  # "(", ")", "AND", "OR", "NOT", "term"
    start: int
    end: int
    term: Term | None = None


@dataclass
class _Scanner:
    text: str
    pos: int = 0
    tokens: list[Token] = field(default_factory=list)

    def quoted(self, start: int) -> tuple[str, int]:
        """The phrase in quotes at `start`, and where it ends (after the quote)."""
        close = self.text.find('"', start + 1)
        if close < 0:
            raise SearchError("This quote is never closed.", start)
        return self.text[start + 1 : close], close + 1

    def word(self) -> None:
        text, start = self.text, self.pos
        end = start
        while end < len(text) and not text[end].isspace() and text[end] not in SPECIAL:
            end += 1
        word = text[start:end]
        if word in OPERATORS:
            self.tokens.append(Token(word, start, end))
            self.pos = end
            return
        if word.startswith("#"):
            term = Term("#", word[1:], start, start + 1, end)
            if not term.value:
                raise SearchError("A tag name must follow #.", start)
        elif ":" in word[1:]:
            key, _, value = word.partition(":")
            value_start = start + len(key) + 1
            if not value and end < len(text) and text[end] == '"':
                value, end = self.quoted(end)
            # An empty value is judged when compiling: "status:" lacks its value,
            # "Transformers:" (copied from a title) is a word.
            term = Term(key.lower(), value, start, value_start, end, raw=word)
        else:
            term = Term("", word, start, start, end)
        self.tokens.append(Token("term", start, end, term))
        self.pos = end

    def scan(self) -> list[Token]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char.isspace():
                self.pos += 1
            elif char in "()":
                self.tokens.append(Token(char, self.pos, self.pos + 1))
                self.pos += 1
            elif char == '"':
                phrase, end = self.quoted(self.pos)
                if phrase.strip():
                    term = Term("", phrase, self.pos, self.pos + 1, end)
                    self.tokens.append(Token("term", self.pos, end, term))
                self.pos = end
            elif char == "-" and self.pos + 1 < len(text):
                following = text[self.pos + 1]
                if following.isspace() or following == ")":
                    self.word()
                else:
                    self.tokens.append(Token("NOT", self.pos, self.pos + 1))
                    self.pos += 1
            else:
                self.word()
        return self.tokens


class _Parser:
    def __init__(self, tokens: list[Token], length: int) -> None:
        self.tokens = tokens
        self.index = 0
        self.length = length
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def missing(self, after: Token, what: str) -> SearchError:
        return SearchError(what, after.start, after.end - after.start)

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            if self.peek() is None or self.peek().kind in (")", "OR", "AND"):  # type: ignore[union-attr]
                raise self.missing(token, "OR needs a term on each side.")
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_not()]
        while (token := self.peek()) is not None and token.kind in (
            "AND",
            "NOT",
            "(",
            "term",
        ):
            if token.kind == "AND":
                self.take()
                following = self.peek()
                if following is None or following.kind in (")", "OR", "AND"):
                    raise self.missing(token, "AND needs a term on each side.")
            children.append(self.parse_not())
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_not(self) -> Node:
        token = self.peek()
        if token is not None and token.kind == "NOT":
            self.take()
            following = self.peek()
            if following is None or following.kind in (")", "OR", "AND"):
                raise self.missing(token, "NOT needs a term after it.")
            self.deeper(token)
            child = self.parse_not()
            self.depth -= 1
            return Not(child)
        return self.parse_atom()

    def deeper(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SearchError("This query is nested too deeply.", token.start)

    def parse_atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise SearchError("The query ends too early.", self.length)
        if token.kind == "(":
            self.take()
            following = self.peek()
            if following is not None and following.kind == ")":
                raise SearchError("These parentheses are empty.", token.start, 2)
            if following is None:
                raise SearchError("This parenthesis is never closed.", token.start)
            self.deeper(token)
            node = self.parse_or()
            self.depth -= 1
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise SearchError("This parenthesis is never closed.", token.start)
            self.take()
            return node
        if token.kind == ")":
            raise SearchError("This parenthesis closes nothing.", token.start)
        if token.kind in ("AND", "OR"):
            raise self.missing(token, f"{token.kind} needs a term on each side.")
        self.take()
        if token.term is None:  # every other kind was handled above
            raise SearchError("This query cannot be read here.", token.start)
        return token.term


def parse(text: str) -> Node | None:
    """The tree of `text`; None for an empty query (everything matches).
    Raises SearchError with the position of the first problem."""
    if len(text) > MAX_LENGTH:
        raise SearchError(
            f"Queries are limited to {MAX_LENGTH} characters.", MAX_LENGTH
        )
    tokens = _Scanner(text).scan()
    if not tokens:
        return None
    parser = _Parser(tokens, len(text))
    node = parser.parse_or()
    leftover = parser.peek()
    if leftover is not None:
        raise SearchError("This parenthesis closes nothing.", leftover.start)
    return node
