"""Reading labelled CSV files: quoted multi-line texts, and errors that name file, line, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from callboard.errors import BadInput, BadRecord
from callboard.triage import read_labelled
from tests.triage.conftest import HELD_OUT, TRAINING


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labelled.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_hand_written_sets_hold_their_stated_sizes() -> None:
    assert len(read_labelled(TRAINING)) == 120
    assert len(read_labelled(HELD_OUT)) == 40


def test_a_quoted_text_may_span_lines_and_errors_name_the_line_it_starts_on(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, 'Text,Category\n"two\nlines",a\n\n"x, y",b\n"third\nrow",\n')
    with pytest.raises(BadRecord) as caught:
        read_labelled(path)
    assert (caught.value.line, caught.value.field) == (6, "category")
    path = write(tmp_path, 'text,category\n"two\nlines",a\n\n"x, y",b\n')
    assert [(e.text, e.label) for e in read_labelled(path)] == [("two\nlines", "a"), ("x, y", "b")]


def test_an_unquoted_comma_is_refused_rather_than_read_as_the_label(tmp_path: Path) -> None:
    path = write(tmp_path, "text,label\nit is cold, no heating,heating\n")
    with pytest.raises(BadRecord, match=r"labelled.csv:2: has 3 fields .* quote"):
        read_labelled(path)


def test_whole_file_problems_name_the_file_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"missing label .* --label-column"):
        read_labelled(write(tmp_path, "text,intent\nhello,greeting\n"))
    with pytest.raises(BadInput, match="no labelled rows"):
        read_labelled(write(tmp_path, "text,label\n"))
    with pytest.raises(BadInput, match="no such file"):
        read_labelled(tmp_path / "missing.csv")
    (tmp_path / "latin1.csv").write_bytes(b"text,label\ncaf\xe9,a\n")
    with pytest.raises(BadInput, match="not UTF-8"):
        read_labelled(tmp_path / "latin1.csv")
