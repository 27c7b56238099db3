"""`diplostance score`: every input format, bad inputs, resume, stdin, CSV, workers."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplostance import score_files
from diplostance.cli import main
from diplostance.readers import Article, ReadError, read_all

ARTICLE = ("Kenya expels Somali diplomats\n\nKenya expelled twelve Somali diplomats on Monday "
           "and closed the consulate in Mombasa, the foreign ministry said.")
HTML = ("<!doctype html><html><head><title>Japan, Vietnam sign pact</title></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Japan, Vietnam sign pact</h1>"
        "<p>Japan and Vietnam signed a maritime cooperation agreement in Hanoi on Tuesday, "
        "officials from both governments said after the ceremony.</p>"
        "<p>The accord covers coast guard training and joint patrols in the region, and "
        "both sides called it a milestone for relations between the two countries.</p>"
        "</article><footer>Copyright</footer></body></html>")


def _corpus_folder(root: Path) -> Path:
    """A folder holding one good input of every format."""
    folder = root / "inputs"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.md").write_text("# EU sanctions officials\n\nThe European Union froze the "
                                 "assets of five Iranian officials.", encoding="utf-8")
    (folder / "c.html").write_text(HTML, encoding="utf-8")
    (folder / "nested" / "d.jsonl").write_text(
        json.dumps({"id": "j1", "title": "Floods", "text": "Heavy rain flooded the capital."})
        + "\n" + json.dumps({"id": "j2", "text": "Canada imposed sanctions on the oil sector."})
        + "\n", encoding="utf-8")
    with open(folder / "e.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerow(["c1", "Sweden expressed concern about the election in Hungary."])
    (folder / "f.tsv").write_text("id\ttext\nt1\tNepal and India signed a treaty.\n",
                                  encoding="utf-8")
    (folder / "g.txt").write_bytes("\ufeffPeru recalled its ambassador from Mexico.".encode())
    (folder / "h.txt").write_bytes("Chile signed an accord with Perú in Santiago.".encode("cp1252"))
    return folder


def _run(argv: list[str], capsys) -> tuple[int, list[dict], str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


def test_every_format_is_scored_in_order(tiny_model_dir, tmp_path, capsys):
    """Text, Markdown, HTML, JSONL, CSV, TSV, BOM and cp1252 inputs are all scored, in order."""
    folder = _corpus_folder(tmp_path)
    code, records, err = _run(["score", str(folder), "--model", str(tiny_model_dir)], capsys)
    assert code == 0, err
    ids = [r["id"] for r in records]
    assert ids == [str(folder / "a.txt"), str(folder / "b.md"), str(folder / "c.html"),
                   "c1", "t1", str(folder / "g.txt"), str(folder / "h.txt"), "j1", "j2"]
    for record in records:
        assert set(record) >= {"action_type", "action_probability", "top_actions", "severity",
                               "severity_probability", "quad_class", "goldstein", "escalation",
                               "source", "target", "model_version"}
    by_id = {r["id"]: r for r in records}
    assert by_id[str(folder / "a.txt")]["action_type"] == "expel_diplomats"
    assert by_id[str(folder / "c.html")]["action_type"] == "agreement"
    assert "scored 9 articles" in err and "0 failed" in err


def test_html_extraction_drops_boilerplate(tmp_path):
    """HTML pages are read with trafilatura: the article text, not the navigation."""
    (tmp_path / "p.html").write_text(HTML, encoding="utf-8")
    (article,) = list(read_all([str(tmp_path / "p.html")]))
    assert isinstance(article, Article)
    assert "maritime cooperation agreement" in article.text
    assert "Home | World" not in article.text and article.title == "Japan, Vietnam sign pact"


BAD_INPUTS = [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", b"\x00\x01\x02\x03binary", "binary file"),
    ("broken.jsonl", b'{"id": "x", "text": "ok text"}\n{not json\n', "malformed JSON line"),
    ("nofield.jsonl", b'{"id": "y", "body": "no text field"}\n', "no 'text' field"),
    ("nocol.csv", b"id,body\n1,some text\n", "no 'text' column"),
    ("big.txt", b"word " * 300, "over the size limit"),
    ("html.html", b"<html><head><title>t</title></head><body> </body></html>", "no article text"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_INPUTS)
def test_bad_inputs_are_reported_and_the_good_still_scored(tiny_model_dir, tmp_path, capsys,
                                                           name, content, message):
    """Each bad input gives its message with the file name, exit 1, and the good file scores."""
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    code, records, err = _run(["score", str(tmp_path / "good.txt"), str(tmp_path / name),
                               "--model", str(tiny_model_dir), "--max-bytes", "1000"], capsys)
    assert code == 1
    assert message in err and name in err
    assert str(tmp_path / "good.txt") in [r["id"] for r in records]
    assert "1 failed" in err


def test_malformed_line_reports_its_line_and_keeps_other_records(tiny_model_dir, tmp_path,
                                                                 capsys):
    """A broken JSON line is reported as file:line; the other lines of the file still score."""
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "a", "text": "Peru signed a treaty."}\n{oops\n'
                    '{"id": "b", "text": "Chile signed a treaty."}\n')
    code, records, err = _run(["score", str(path), "--model", str(tiny_model_dir)], capsys)
    assert code == 1 and f"{path}:2: malformed JSON line" in err
    assert [r["id"] for r in records] == ["a", "b"]


def test_usage_errors_exit_2(tiny_model_dir, capsys):
    """Bad flags and missing arguments are usage errors (exit 2)."""
    assert main(["score"]) == 2
    assert main(["score", "x", "--format", "xml"]) == 2
    assert main(["score", "x", "--workers", "0", "--model", str(tiny_model_dir)]) == 2
    assert main(["score", "x", "--resume", "--model", str(tiny_model_dir)]) == 2
    capsys.readouterr()


def test_missing_path_and_missing_model(tiny_model_dir, tmp_path, capsys):
    """A missing input is reported (exit 1); a missing model folder is a clear error."""
    code, _, err = _run(["score", str(tmp_path / "nope.txt"), "--model", str(tiny_model_dir)],
                        capsys)
    assert code == 1 and "nope.txt: no such file or directory" in err
    code, _, err = _run(["score", str(tmp_path), "--model", str(tmp_path / "m")], capsys)
    assert code == 1 and "run make train" in err


def test_resume_after_interruption_appends_only_the_rest(tiny_model_dir, tmp_path, capsys):
    """--resume cuts a torn last line, skips ids already written, and appends the rest."""
    folder = _corpus_folder(tmp_path)
    out = tmp_path / "out.jsonl"
    assert main(["score", str(folder), "-o", str(out), "--model", str(tiny_model_dir)]) == 0
    full = out.read_text().splitlines()
    # Simulate an interruption: three complete records and half of the fourth.
    out.write_text("\n".join(full[:3]) + "\n" + full[3][: len(full[3]) // 2])
    assert main(["score", str(folder), "-o", str(out), "--resume",
                 "--model", str(tiny_model_dir)]) == 0
    capsys.readouterr()
    resumed = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["id"] for r in resumed) == sorted(json.loads(x)["id"] for x in full)
    assert len(resumed) == len(full)


def test_standard_input(tiny_model_dir, capsys, monkeypatch):
    """`-` reads one article, or JSON Lines, from standard input."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    code, records, _ = _run(["score", "-", "--model", str(tiny_model_dir)], capsys)
    assert code == 0 and records[0]["id"] == "<stdin>"
    assert records[0]["action_type"] == "expel_diplomats"
    lines = b'{"id": "s1", "text": "Peru signed a treaty."}\n{"id": "s2", "text": "Floods."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    code, records, _ = _run(["score", "-", "--model", str(tiny_model_dir)], capsys)
    assert [r["id"] for r in records] == ["s1", "s2"]


def test_csv_output_and_custom_fields(tiny_model_dir, tmp_path, capsys):
    """--format csv writes a header and one row per article; --text-field/--id-field work."""
    path = tmp_path / "in.jsonl"
    path.write_text('{"key": "k1", "body": "Kenya expelled Somali diplomats."}\n')
    out = tmp_path / "out.csv"
    code = main(["score", str(path), "--text-field", "body", "--id-field", "key", "-o", str(out),
                 "--format", "csv", "--model", str(tiny_model_dir)])
    capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert code == 0 and rows[0]["id"] == "k1" and rows[0]["action_type"]
    assert json.loads(rows[0]["top_actions"])[0][0] == rows[0]["action_type"]


def test_explain_adds_evidence(tiny_model_dir, tmp_path, capsys):
    """--explain adds the evidence sentence and terms to each record."""
    (tmp_path / "a.txt").write_text("Floods hit the coast.\n\nKenya expelled twelve Somali "
                                    "diplomats on Monday. The weather was mild.")
    code, records, _ = _run(["score", str(tmp_path / "a.txt"), "--explain",
                             "--model", str(tiny_model_dir)], capsys)
    assert code == 0
    evidence = records[0]["evidence"]
    assert evidence["sentence"] == "Kenya expelled twelve Somali diplomats on Monday."
    assert evidence["terms"]


def test_workers_give_the_same_records(tiny_model_dir, tmp_path, capsys):
    """--workers 2 gives exactly the records of --workers 1, in the same order."""
    folder = _corpus_folder(tmp_path)
    for i in range(6):
        (folder / f"extra{i}.txt").write_text(f"Article {i}: Ghana and Togo signed accord {i}.")
    one = tmp_path / "one.jsonl"
    two = tmp_path / "two.jsonl"
    assert main(["score", str(folder), "-o", str(one), "--model", str(tiny_model_dir)]) == 0
    assert main(["score", str(folder), "-o", str(two), "--workers", "2",
                 "--model", str(tiny_model_dir)]) == 0
    capsys.readouterr()
    assert one.read_text() == two.read_text()


def test_score_files_api_yields_results_and_errors(tiny_model, tmp_path):
    """score_files yields Scored results and ReadError items in input order."""
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text("")
    results = list(score_files([str(tmp_path)], tiny_model))
    assert [type(r).__name__ for r in results] == ["Scored", "ReadError"]
    assert isinstance(results[1], ReadError) and results[1].message == "empty file"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_crashes_predict(tiny_model, text):
    """Any Unicode string gets a valid prediction."""
    p = tiny_model.predict(text)
    assert p.action_type in tiny_model.action_types
    assert 0.0 <= p.action_probability <= 1.0
