"""A reader's search query: its terms, prefixes and phrases, and the FTS5 MATCH built from them.

Queries are folded and stemmed exactly as the index is (archive/arabic.py), so any spelling of a
word finds the stored form. OR, NOT (or a leading -), parentheses and a trailing * are search
syntax (read_query); any other FTS5 syntax is plain words; Latin names of the topic's entities
and places are searched by their Arabic forms (archive/latin_names.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.arabic import _ARTICLES, _TOKEN_RE, normalize, stem
from archive.latin_names import arabic_for, is_latin

# A bare word, optionally followed by * (prefix search).
_BARE_RE = re.compile(r"([^\W_]+)(\*?)")
_MIN_PREFIX_LEN = 2  # "ا*" would scan half the index

# Limits on one query, here only (README "Search limits", docs/arabic-search.md section 3). No
# real Arabic query reaches them (the longest Arabic words have under 20 letters); past them the
# work a query makes (FTS5 terms, snippet regexes, pages repeating it in every link) would be
# the visitor's to choose, so it is refused with QUERY_LIMITS_MESSAGE instead.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
MAX_WORD_LETTERS = 30
QUERY_LIMITS_MESSAGE = (
    f"البحث طويل جداً: {MAX_QUERY_CHARS} حرف و{MAX_QUERY_WORDS} كلمة و{MAX_WORD_LETTERS} حرفاً"
    f" للكلمة على الأكثر · Search too long: at most {MAX_QUERY_CHARS} characters,"
    f" {MAX_QUERY_WORDS} words and {MAX_WORD_LETTERS} letters a word."
)


def query_too_long(query: str | None) -> bool:
    """True when the query exceeds MAX_QUERY_CHARS, MAX_QUERY_WORDS or MAX_WORD_LETTERS."""
    if not query:
        return False
    if len(query) > MAX_QUERY_CHARS:  # first, so nothing longer is ever normalised
        return True
    words = _TOKEN_RE.findall(normalize(query))
    return len(words) > MAX_QUERY_WORDS or any(len(w) > MAX_WORD_LETTERS for w in words)


def _prefix_stem(word: str) -> str:
    # A typed prefix is a word fragment: stem() would keep the article of a short fragment
    # (الدو* -> الدو), so drop a leading article first whenever 2+ letters remain.
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= _MIN_PREFIX_LEN:
            return stem(word[len(article) :])
    return stem(word)


def parse_query(query: str) -> list[tuple[str, list[str]]]:
    """Split a query into ('term'|'prefix'|'phrase', [stems]) items."""
    parts = normalize(query).split('"')
    # An even number of parts means an unbalanced quote: treat its tail as bare words.
    unbalanced = len(parts) % 2 == 0
    items: list[tuple[str, list[str]]] = []
    for i, part in enumerate(parts):
        quoted = i % 2 == 1 and not (unbalanced and i == len(parts) - 1)
        if quoted:
            stems = [stem(t) for t in _TOKEN_RE.findall(part)]
            if stems:
                items.append(("phrase", stems))
            continue
        for word, star in _BARE_RE.findall(part):
            if star and len(word) >= _MIN_PREFIX_LEN:
                items.append(("prefix", [_prefix_stem(word)]))
            else:
                items.append(("term", [stem(word)]))
    return items


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_query(query: str) -> str:
    """Turn user input into a safe FTS5 MATCH expression over ``index_text`` content.

    OR, NOT, -word, (groups) and word* are read as search syntax (read_query); every word is
    quoted; '""' (an empty phrase: valid FTS5 that matches no row) when nothing is searchable.
    A query past the limits (query_too_long) matches nothing; the web pages say why first.
    """
    if query_too_long(query):
        return '""'
    return read_query(query or "").fts


# --- Search syntax: OR, NOT / -word, (groups), trailing *, Latin names -------------------------
# The reader below builds the MATCH expression: every word is quoted by _quote(), and the only
# operators and parentheses in it are the ones written here, so no input is FTS5 syntax.

# A node: ("leaf", fts, label, items) | ("and", [positive nodes], [excluded nodes]) | ("or", [..])
Node = tuple
_TOKEN = re.compile(r'"[^"]*"|"[^"]*$|[()]|[^\s()"]+')
_OPERATORS = {"OR", "AND", "NOT"}
_ARABIC = re.compile("[\u0600-\u06ff]")
_SYNTAX_FOLD = str.maketrans({**dict.fromkeys("«»“”„‟″", '"'), **dict.fromkeys("‐‑‒–—―−", "-"),
                              "﴾": "(", "﴿": ")"})


@dataclass(frozen=True)
class Reading:
    """How a query was read: its FTS5 expression, an Arabic rendering, and notes for the reader."""

    fts: str
    text: str
    notes: tuple[str, ...] = ()
    items: tuple[tuple[str, tuple[str, ...]], ...] = ()  # words to highlight: (kind, stems)

    @property
    def empty(self) -> bool:
        """True when nothing in the query can be searched (blank, lone operators, only NOT)."""
        return self.fts == '""'


def _leaf(label: str, items: list[tuple[str, list[str]]]) -> Node | None:
    parts = []
    for kind, stems in items:
        quoted = _quote(" ".join(stems))
        parts.append(quoted + "*" if kind == "prefix" else quoted)
    if not parts:
        return None
    fts = parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"
    return ("leaf", fts, label, [(k, tuple(s)) for k, s in items])


def _latin_leaf(words: list[str], notes: list[str]) -> tuple[int, Node | None]:
    """The node for the Latin words at the start of words, and how many it used."""
    found = arabic_for(words)
    if found is None:
        word = words[0]
        if word.lower() in ("or", "and", "not"):
            notes.append(f"«{word}»: اكتب {word.upper()} بحروف كبيرة ليكون عاملاً بحثياً؛ تجاهلناها")
            return 1, None
        notes.append(f"الأرشيف عربي: لا نعرف اسماً عربياً لـ«{word}»، فبحثنا عنها كما هي")
        return 1, _leaf(word, parse_query(word))
    used, arabic = found
    name = " ".join(words[:used])
    nodes = [n for n in (_leaf(a, parse_query(f'"{a}"')) for a in arabic) if n]
    alternatives = list({n[1]: n for n in nodes}.values())  # سوريا, سورية: one stored form
    notes.append(f"الأرشيف عربي: بحثنا عن «{name}» بأسمائه العربية: " + "، ".join(arabic))
    label = f"{name} ({' أو '.join(arabic)})"
    fts = " OR ".join(n[1] for n in alternatives)
    fts = f"({fts})" if len(alternatives) > 1 else fts
    return used, ("leaf", fts, label, [i for n in alternatives for i in n[3]])


def _words(tokens: list[str], notes: list[str]) -> list[object]:
    """Tokens as parser symbols: '(' ')' 'OR' 'AND' 'NOT' ('-' node) or a node."""
    out: list[object] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in ("(", ")") or tok in _OPERATORS:
            out.append(tok)
        elif tok.startswith('"'):
            body = tok.strip('"')
            if not tok.endswith('"') or len(tok) == 1:
                notes.append("علامة تنصيص بلا إغلاق: بحثنا عن كلماتها منفصلة")
                out.extend(_words(body.split(), notes))
            elif _latin_word(body) and (arabic_for(body.split()) or (0,))[0] == len(body.split()):
                out.append(_latin_leaf(body.split(), notes)[1])
            elif (node := _leaf(f'"{body}"', parse_query(f'"{body}"'))) is not None:
                out.append(node)
        else:
            negate = tok.startswith("-") and len(tok) > 1
            word = tok.lstrip("-") if negate else tok
            if _latin_word(word):
                run = [word]
                while i + len(run) < len(tokens) and _latin_word(tokens[i + len(run)]):
                    run.append(tokens[i + len(run)])
                used, node = _latin_leaf(run, notes)
                i += used - 1
            else:
                node = _leaf(word, parse_query(word))
                if node is None:
                    notes.append(f"«{tok}» وحدها ليست كلمة بحث: تجاهلناها"
                                 + (" (البادئة تحتاج حرفين قبل *، مثل دول*)" if "*" in tok else ""))
            if node is not None:
                out.extend(["-", node] if negate else [node])
        i += 1
    return out


def _latin_word(token: str) -> bool:
    # A word that may continue a Latin name: no operator, phrase, exclusion or Arabic letter.
    return bool(token) and (token not in _OPERATORS and token[0] not in '"-()' and is_latin(token)
            and not _ARABIC.search(token))


class _Parser:
    """Recursive descent: or := and (OR and)*; and := (NOT? atom)+; atom := node | ( or )."""

    def __init__(self, symbols: list[object], notes: list[str]) -> None:
        self.symbols, self.pos, self.notes = symbols, 0, notes

    def peek(self) -> object:
        return self.symbols[self.pos] if self.pos < len(self.symbols) else None

    def parse(self) -> Node | None:
        node = self.or_expr()
        while self.peek() is not None:  # a stray ')' ends an expression early: skip it, go on
            self.pos += 1
            self.notes.append("قوس إغلاق بلا فتح: تجاهلناه")
            more = self.or_expr()
            node = _combine("and", [n for n in (node, more) if n], [])
        return node

    def or_expr(self) -> Node | None:
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.pos += 1
            parts.append(self.and_expr())
        found = [p for p in parts if p]
        if len(parts) > 1 and len(found) < len(parts):
            self.notes.append("OR بلا كلمة على أحد جانبيها: تجاهلناها")
        return _combine("or", found, [])

    def and_expr(self) -> Node | None:
        positive: list[Node] = []
        excluded: list[Node] = []
        while (sym := self.peek()) not in (None, ")", "OR"):
            self.pos += 1
            if sym == "AND":
                continue
            if sym in ("NOT", "-"):
                target = self.atom()
                if target is None:
                    self.notes.append(f"{'NOT' if sym == 'NOT' else '-'} بلا كلمة بعدها: تجاهلناها")
                else:
                    excluded.append(target)
                continue
            self.pos -= 1
            node = self.atom()
            if node is not None:
                positive.append(node)
        if excluded and not positive:
            self.notes.append("الاستبعاد وحده لا يكفي: أضف كلمة نبحث عنها قبل NOT أو -")
            return None
        return _combine("and", positive, excluded)

    def atom(self) -> Node | None:
        sym = self.peek()
        if sym is None or sym in (")", "OR"):
            return None
        self.pos += 1
        if sym == "(":
            node = self.or_expr()
            if self.peek() == ")":
                self.pos += 1
            else:
                self.notes.append("قوس فتح بلا إغلاق: أغلقناه في آخر البحث")
            return node
        if sym in ("AND", "NOT", "-"):
            return self.atom()
        return sym  # a node


def _combine(kind: str, nodes: list[Node], excluded: list[Node]) -> Node | None:
    if not nodes:
        return None
    if len(nodes) == 1 and not excluded:
        return nodes[0]
    return (kind, nodes, excluded)


def _fts(node: Node, top: bool = False) -> str:
    if node[0] == "leaf":
        return node[1]
    parts = [_fts(n) for n in node[1]]
    # FTS5 takes "a b" as a AND b between phrases only; next to a group it must be spelt AND.
    plain = all(not p.startswith("(") for p in parts)
    joined = (" OR " if node[0] == "or" else " " if plain else " AND ").join(parts)
    if top and node[0] == "and" and not node[2]:
        return joined
    text = "(" + joined + ")" if len(node[1]) > 1 else joined
    for excluded in node[2]:
        text = f"({text} NOT {_fts(excluded)})"
    return text


def _label(node: Node, top: bool = True) -> str:
    if node[0] == "leaf":
        return f"«{node[2]}»"
    joined = (" أو " if node[0] == "or" else " و").join(_label(n, False) for n in node[1])
    if node[2]:
        joined += "".join(f" دون {_label(n, False)}" for n in node[2])
    return joined if top or (len(node[1]) == 1 and not node[2]) else f"({joined})"


def _items(node: Node) -> list[tuple[str, tuple[str, ...]]]:
    if node[0] == "leaf":
        return list(node[3])
    return [i for n in node[1] for i in _items(n)]  # excluded words are not highlighted


def read_query(query: str) -> Reading:
    """Read a search query: OR, NOT or -word, (groups), "phrases", word*, Latin names."""
    notes: list[str] = []
    # «» and “” are quotes, as normalize() makes them for parse_query; the words keep their
    # spelling (for the reading) and OR/NOT their case.
    symbols = _words(_TOKEN.findall((query or "").translate(_SYNTAX_FOLD)), notes)
    node = _Parser(symbols, notes).parse()
    if node is None:
        return Reading('""', "", tuple(dict.fromkeys(notes)))
    return Reading(_fts(node, top=True), _label(node), tuple(dict.fromkeys(notes)),
                   tuple(_items(node)))


def search_items(query: str) -> list[tuple[str, list[str]]]:
    """The (kind, stems) a result may be highlighted for: the query's words, not excluded ones."""
    return [(kind, list(stems)) for kind, stems in read_query(query).items]
