"""The case-study redaction measured on the labelled corpus (redaction_corpus.txt beside
this file), knowing no one: the figures the README gives, held to their targets."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.management.commands import redaction_recall as recall


def test_the_corpus_is_large_and_labels_every_kind_many_times():
    sentences = recall.read()
    assert len(sentences) >= 300
    assert sum(not sentence.labels for sentence in sentences) >= 80
    counts = Counter(label for sentence in sentences for *_, label in sentence.labels)
    assert set(counts) == set(recall.LABELS)
    assert min(counts.values()) >= 15, counts


def test_the_redaction_meets_its_targets_on_the_corpus():
    figures = recall.measure(recall.read())
    assert figures.shortfalls() == [], figures.missed


def test_the_command_fails_under_its_targets(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(
        "# A name in lower case, with nothing around it to tell.\nHe met {name:janet}.\n"
    )
    with pytest.raises(CommandError, match="name: 0.0% caught"):
        call_command("redaction_recall", corpus=corpus, stdout=StringIO())


def test_a_label_left_open_is_refused(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("His mother {name:Janet rang.\n")
    with pytest.raises(ValueError, match="not closed"):
        recall.read(corpus)
