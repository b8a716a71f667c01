"""tantivy as the reference engine for benchmarks/search.py (not a dependency of the app).

The same section documents our index stores (runbook title, heading path, trigger conditions,
body), English stemming, field boosts like ours; per keystroke the same work the app does:
a query of the typed words (the last one as a prefix while it is being typed), the top 20
hits, and a snippet of each. Installed by `scripts/bootstrap.sh all` (the `bench` extra).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

try:
    import tantivy
except ImportError:  # pragma: no cover - optional
    tantivy = None

from runbook_viewer.core.model import Library
from runbook_viewer.core.search.analyzer import words
from runbook_viewer.core.search.documents import section_documents

FIELDS = ("title", "heading", "triggers", "body")
BOOSTS = {"title": 4.0, "heading": 5.0, "triggers": 5.0, "body": 1.0}


def available() -> str | None:
    """None when tantivy can be used, else why not."""
    if tantivy is None:
        return "tantivy is not installed (`bash scripts/bootstrap.sh all` installs it)"
    return None


class TantivyReference:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or Path(tempfile.mkdtemp(prefix="rv-tantivy-"))
        self.index = None
        self.schema = None
        self.searcher = None

    def build(self, library: Library) -> float:
        start = time.perf_counter()
        sb = tantivy.SchemaBuilder()
        for f in FIELDS:
            sb.add_text_field(f, stored=True, tokenizer_name="en_stem")
        sb.add_text_field("path", stored=True, tokenizer_name="raw")
        sb.add_text_field("anchor", stored=True, tokenizer_name="raw")
        self.schema = sb.build()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        index = tantivy.Index(self.schema, path=str(self.folder))
        writer = index.writer(heap_size=50_000_000, num_threads=1)
        for rb in library.runbooks:
            for doc in section_documents(rb):
                writer.add_document(tantivy.Document(
                    title=doc.title, heading=doc.heading, triggers=doc.triggers, body=doc.body,
                    path=doc.path, anchor=doc.anchor))
        writer.commit()
        writer.wait_merging_threads()
        return time.perf_counter() - start

    def open(self) -> float:
        """Open the on-disk index and run a first query; seconds."""
        start = time.perf_counter()
        self.index = tantivy.Index.open(str(self.folder))
        self.schema = self.index.schema
        self.index.reload()
        self.searcher = self.index.searcher()
        self.search("redis")
        return time.perf_counter() - start

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())

    def _query(self, text: str):
        typed = words(text)
        if not typed:
            return None
        partial = not text[-1].isspace()
        whole, last = (typed[:-1], typed[-1]) if partial else (typed, None)
        subs = []
        if whole:
            subs.append((tantivy.Occur.Should, self.index.parse_query_lenient(
                " ".join(whole), list(FIELDS), field_boosts=BOOSTS)[0]))
        if last:
            for f in FIELDS:
                q = tantivy.Query.phrase_prefix_query(self.schema, f, [last])
                subs.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, BOOSTS[f])))
        return tantivy.Query.boolean_query(subs)

    def search(self, text: str, limit: int = 20) -> list[tuple[str, str, str]]:
        """(path, anchor, snippet html) of the best ``limit`` sections."""
        query = self._query(text)
        if query is None:
            return []
        result = self.searcher.search(query, limit)
        snippets = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "body")
        out = []
        for _score, address in result.hits:
            doc = self.searcher.doc(address)
            out.append((doc["path"][0], doc["anchor"][0],
                        snippets.snippet_from_doc(doc).to_html()))
        return out

    def close(self) -> None:
        self.searcher = None
        self.index = None
        shutil.rmtree(self.folder, ignore_errors=True)
