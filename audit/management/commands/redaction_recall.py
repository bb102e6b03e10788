"""How much of a labelled corpus the case-study redaction takes out, knowing no one: the
share of each kind of identifier caught, and the share of ordinary words kept.

The corpus (tests/audit/redaction_corpus.txt) is one sentence a line, each identifier
written {kind:text}. A labelled span is caught when every letter and digit of it is inside
a redacted span, of any kind (a name is redacted word by word: the space between two words
tells nothing); the share caught as the right kind is shown beside it."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit import anonymise

CORPUS = Path(settings.BASE_DIR) / "tests" / "audit" / "redaction_corpus.txt"
LABEL = re.compile(r"\{(?P<kind>\w+):(?P<text>[^{}]+)\}")
LABELS = {
    "name": anonymise.Kind.NAME,
    "place": anonymise.Kind.PLACE,
    "address": anonymise.Kind.ADDRESS,
    "postcode": anonymise.Kind.POSTCODE,
    "phone": anonymise.Kind.PHONE,
    "email": anonymise.Kind.EMAIL,
    "nhs": anonymise.Kind.NHS_NUMBER,
    "pnc": anonymise.Kind.PNC_NUMBER,
    "cro": anonymise.Kind.CRO_NUMBER,
    "ni": anonymise.Kind.NI_NUMBER,
    "prison": anonymise.Kind.PRISON_NUMBER,
    "age": anonymise.Kind.AGE,
    "date": anonymise.Kind.DATE,
}
# The share of each kind that must be caught (kinds not listed are measured, not held
# to a figure), and of ordinary words that must be kept.
TARGETS = {
    "postcode": 1.0,
    "phone": 1.0,
    "email": 1.0,
    "nhs": 1.0,
    "pnc": 1.0,
    "cro": 1.0,
    "ni": 1.0,
    "prison": 1.0,
    "name": 0.98,
    "place": 0.95,
    "address": 0.95,
}
KEPT_TARGET = 0.90
NOBODY = anonymise.Known(frozenset(), frozenset())
ORDINARY_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass
class Sentence:
    text: str
    labels: list[tuple[int, int, str]]  # (start, end, label)


@dataclass
class Figures:
    sentences: int = 0
    clean: int = 0  # sentences that name no one
    labelled: dict[str, int] = field(default_factory=dict)
    caught: dict[str, int] = field(default_factory=dict)
    right_kind: dict[str, int] = field(default_factory=dict)
    words: int = 0
    kept: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    lost: list[str] = field(default_factory=list)  # ordinary words redacted

    def recall(self, label: str) -> float:
        return self.caught.get(label, 0) / self.labelled[label] if self.labelled.get(label) else 1.0

    @property
    def kept_share(self) -> float:
        return self.kept / self.words if self.words else 1.0

    def shortfalls(self) -> list[str]:
        """Each figure under its target, in words."""
        short = [
            f"{label}: {self.recall(label):.1%} caught, under {target:.0%}"
            for label, target in TARGETS.items()
            if self.recall(label) < target
        ]
        if self.kept_share < KEPT_TARGET:
            short.append(f"ordinary words: {self.kept_share:.1%} kept, under {KEPT_TARGET:.0%}")
        return short


def read(path: Path = CORPUS) -> list[Sentence]:
    """The corpus's sentences in their normalised form, each with its labelled spans."""
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = anonymise.normalise(line).strip()
        if not line or line.startswith("#"):
            continue
        text, labels, at = "", [], 0
        for match in LABEL.finditer(line):
            text += line[at : match.start()]
            if match["kind"] not in LABELS:
                raise ValueError(f"Unknown kind {match['kind']!r} in: {line}")
            labels.append((len(text), len(text) + len(match["text"]), match["kind"]))
            text += match["text"]
            at = match.end()
        text += line[at:]
        if "{" in text or "}" in text:
            raise ValueError(f"A label is not closed in: {line}")
        sentences.append(Sentence(text, labels))
    return sentences


def measure(sentences: list[Sentence]) -> Figures:
    """Redact each sentence as a case study would, knowing no one, and count."""
    figures = Figures(sentences=len(sentences))
    for sentence in sentences:
        spans = anonymise.find(sentence.text, known=NOBODY)
        kind_at = {}
        for span in spans:
            for i in range(span.start, span.end):
                kind_at[i] = span.kind
        figures.clean += not sentence.labels
        for start, end, label in sentence.labels:
            figures.labelled[label] = figures.labelled.get(label, 0) + 1
            kinds = {kind_at.get(i) for i in range(start, end) if sentence.text[i].isalnum()}
            if None in kinds:
                figures.missed.append((label, sentence.text[start:end]))
                continue
            figures.caught[label] = figures.caught.get(label, 0) + 1
            if kinds == {LABELS[label]}:
                figures.right_kind[label] = figures.right_kind.get(label, 0) + 1
        inside = {i for start, end, _ in sentence.labels for i in range(start, end)}
        for word in ORDINARY_WORD.finditer(sentence.text):
            if any(i in inside for i in range(word.start(), word.end())):
                continue
            figures.words += 1
            if any(i in kind_at for i in range(word.start(), word.end())):
                figures.lost.append(word.group())
            else:
                figures.kept += 1
    return figures


class Command(BaseCommand):
    help = (
        "Measure the case-study redaction on the labelled corpus: the share of each kind "
        "of identifier caught, and of ordinary words kept. Exits 1 under the targets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, default=CORPUS)
        parser.add_argument(
            "--misses", action="store_true", help="List every identifier missed and word lost."
        )

    def handle(self, *args, corpus, misses, **options):
        figures = measure(read(corpus))
        out = self.stdout
        out.write(
            f"{figures.sentences} sentences ({figures.clean} naming no one), redacted "
            "knowing no one"
        )
        out.write(f"{'kind':<10} {'labelled':>8} {'caught':>8} {'right kind':>10}  target")
        for label in LABELS:
            count = figures.labelled.get(label, 0)
            if not count:
                continue
            right = figures.right_kind.get(label, 0) / count
            target = f"{TARGETS[label]:.0%}" if label in TARGETS else "-"
            out.write(
                f"{label:<10} {count:>8} {figures.recall(label):>8.1%} {right:>10.1%}  {target}"
            )
        out.write(
            f"Ordinary words kept: {figures.kept} of {figures.words} "
            f"({figures.kept_share:.1%}; target {KEPT_TARGET:.0%})"
        )
        if misses:
            for label, text in figures.missed:
                out.write(f"  missed {label}: {text}")
            out.write("  lost: " + ", ".join(sorted(set(figures.lost))))
        if short := figures.shortfalls():
            raise CommandError("Under target: " + "; ".join(short))
