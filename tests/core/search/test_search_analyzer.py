"""Operations-text analysis: words, identifier splitting, stop words, the synonym table."""

from __future__ import annotations

import pytest

from runbook_viewer.core.search.analyzer import (
    Synonyms,
    identifier_parts,
    is_stopword,
    query_words,
    shipped_synonyms_text,
    split_identifier,
    vocabulary,
    words,
)


@pytest.mark.parametrize(("word", "parts"), [
    ("KubePodCrashLooping", ["kube", "pod", "crash", "looping"]),
    ("CPUThrottlingHigh", ["cpu", "throttling", "high"]),
    ("etcdGRPCRequestsSlow", ["etcd", "grpc", "requests", "slow"]),
    ("ArchonAPIDown", ["archon", "api", "down"]),
    ("etcdNoLeader", ["etcd", "no", "leader"]),
    ("NodeRAIDDiskFailure", ["node", "raid", "disk", "failure"]),
])
def test_camel_case_identifiers_split_into_parts(word, parts):
    assert split_identifier(word) == parts


@pytest.mark.parametrize("word", ["x509", "redis", "HTTP", "Redis", "pg16", "503", "ABC1"])
def test_plain_words_are_not_split(word):
    assert split_identifier(word) == []


def test_words_split_like_unicode61_and_fold_case_and_accents():
    assert words("etcd_no_leader") == ["etcd", "no", "leader"]
    assert words("redis-cli ping") == ["redis", "cli", "ping"]
    assert words("x509: Certificate") == ["x509", "certificate"]
    assert words("Café déjà-vu") == ["cafe", "deja", "vu"]
    assert words("🔵 **OPERATIONAL** — `archonctl`") == ["operational", "archonctl"]


def test_vocabulary_keeps_whole_identifiers_and_their_parts():
    vocab = vocabulary("KubePodCrashLooping fires; see etcd_no_leader")
    assert {"kubepodcrashlooping", "kube", "pod", "crash", "looping"} <= vocab
    assert {"etcd", "no", "leader", "fires", "see"} <= vocab
    assert identifier_parts("the KubeAPIDown alert") == ["kube", "api", "down"]


def test_query_words_keep_what_was_typed_and_the_parts():
    qw = query_words("KubePodCr redis")
    assert [w.word for w in qw] == ["kubepodcr", "redis"]
    assert qw[0].parts == ("kube", "pod", "cr")
    assert qw[0].typed == "KubePodCr"


def test_stopwords_are_filler_not_symptoms():
    for w in ("the", "is", "keeps", "won", "a"):
        assert is_stopword(w), w
    for w in ("down", "not", "no", "redis", "503", "up"):
        assert not is_stopword(w), w


def test_shipped_table_has_the_operations_groups():
    assert "# Format" in shipped_synonyms_text()  # the format is documented in the file
    syn = Synonyms.load()
    assert not syn.problems, syn.problems
    db = syn.lookup(("db",))
    assert {("database",), ("postgres",), ("postgresql",), ("pg",)} <= set(db)
    assert ("x509",) in syn.lookup(("cert",))
    assert ("certificate",) in syn.lookup(("x509",))
    assert ("filesystem",) in syn.lookup(("disk",))
    assert ("crashloop",) in syn.lookup(("restart",))
    assert ("unreachable",) in syn.lookup(("down",))
    assert ("liveness",) in syn.lookup(("heartbeat",))
    assert ("halted",) in syn.lookup(("halt",))
    assert ("out", "of", "memory") in syn.lookup(("oom",))
    assert ("memory",) not in syn.lookup(("oom",))  # "oom" must not find every in-memory cache
    assert ("5xx",) in syn.lookup(("503",)) and ("500",) not in syn.lookup(("503",))
    assert {("500",), ("502",), ("503",), ("504",)} <= set(syn.lookup(("5xx",)))
    assert ("404",) in syn.lookup(("4xx",)) and ("4xx",) in syn.lookup(("404",))
    assert ("gateway",) in syn.lookup(("gw",)) and ("load", "balancer") in syn.lookup(("lb",))
    assert ("virtual", "ip") in syn.lookup(("vip",))
    assert ("hardware", "security", "module") in syn.lookup(("hsm",))
    assert {("tls",), ("ssl",), ("x509",)} <= set(syn.lookup(("cert",)))
    assert ("kubernetes",) in syn.lookup(("k8s",))
    assert {("no", "space", "left"), ("filling", "up")} <= set(syn.lookup(("full",)))
    assert ("slow",) in syn.lookup(("latency",))
    assert syn.lookup(("redis",)) != []  # redis-server
    assert syn.lookup(("zebra",)) == []


def test_format_groups_one_way_phrases_comments_and_problems():
    syn = Synonyms()
    syn.add_text(
        "# a comment line\n"
        "gizmo, widget, thing-a-ma-jig   # trailing comment\n"
        "oom => out of memory\n"
        "pkcs#11, hsm\n"
        "lonely\n"
        "a => b => c\n", "test")
    assert set(syn.lookup(("gizmo",))) == {("widget",), ("thing", "a", "ma", "jig")}
    assert ("gizmo",) in syn.lookup(("thing", "a", "ma", "jig"))
    assert syn.lookup(("oom",)) == [("out", "of", "memory")]
    assert syn.lookup(("out", "of", "memory")) == []  # one way only
    assert ("hsm",) in syn.lookup(("pkcs", "11"))  # "#" inside a word is not a comment
    assert syn.max_words == 4
    assert len(syn.problems) == 2
    assert "test:5" in syn.problems[0] and "test:6" in syn.problems[1]


def test_plural_falls_back_to_the_singular_entry():
    syn = Synonyms()
    syn.add_text("gizmo, widget\ncache, buffer\n")
    assert ("widget",) in syn.lookup(("gizmos",))
    assert ("gizmo",) in syn.lookup(("gizmos",))
    assert ("buffer",) in syn.lookup(("caches",))


def test_library_synonyms_file_extends_the_shipped_table(tmp_path):
    (tmp_path / "synonyms.txt").write_text("# ours\narchon, governance engine\nkeeper, custodian\n"
                                           "db, ledger\n", encoding="utf-8")
    syn = Synonyms.load(tmp_path)
    assert syn.lookup(("custodian",)) == [("keeper",)]
    assert ("governance", "engine") in syn.lookup(("archon",))
    db = set(syn.lookup(("db",)))
    assert ("ledger",) in db and ("postgres",) in db  # both tables
    assert str(tmp_path / "synonyms.txt") in syn.sources


def test_unreadable_library_synonyms_file_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "synonyms.txt").write_bytes(b"\xff\xfe\x00bad")
    syn = Synonyms.load(tmp_path)
    assert syn.problems and "cannot read" in syn.problems[0]
    assert syn.lookup(("db",))  # the shipped table still works
