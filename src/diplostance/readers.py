"""Read articles from the files users have: text, Markdown, HTML, JSON Lines, JSON, CSV, TSV.

Every reader yields :class:`Article` or :class:`ReadError` items and never raises for a
bad file or record: the error names the file (and line) and the caller carries on.
Formats are chosen by extension and checked against the content, so an HTML page saved
as ``.txt`` or JSON Lines saved as ``.json`` is still read correctly. Bytes are decoded
as UTF-8 (a byte-order mark is dropped) with a charset-detection fallback.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Peru recalls envoy\\n\\nLima said on Monday...")
>>> [(a.title, a.text) for a in read_path(folder / "a.txt")]
[('Peru recalls envoy', 'Lima said on Monday...')]
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}
TABLE_SUFFIXES = {".csv", ".tsv"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | TABLE_SUFFIXES
DEFAULT_MAX_BYTES = 10_000_000
SNIFF_BYTES = 65536


@dataclass(frozen=True)
class Article:
    """One article to score: its id, optional title, text, and where it came from."""

    id: str
    text: str
    title: str = ""
    path: str = ""
    line: int | None = None


@dataclass(frozen=True)
class ReadError:
    """A file or record that could not be read, and why."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs: field / column names and the size limit."""

    text_field: str = "text"
    id_field: str = "id"
    title_field: str = "title"
    max_bytes: int = DEFAULT_MAX_BYTES


def expand_paths(paths: Iterable[str]) -> Iterator[str | ReadError]:
    """Files named by ``paths``: files, folders (recursively, sorted), glob patterns, ``-``."""
    for raw in paths:
        if raw == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        found = True
                        yield str(Path(root) / name)
            if not found:
                yield ReadError(raw, None, "folder holds no files")
        elif path.is_file():
            yield raw
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield ReadError(raw, None, "pattern matches no file")
            for match in matches:
                if Path(match).is_dir():
                    yield from expand_paths([match])
                else:
                    yield match
        else:
            yield ReadError(raw, None, "no such file or directory")


def _decode(data: bytes, path: str) -> str | ReadError:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b"\x00" in data[:SNIFF_BYTES] and not data.startswith((codecs.BOM_UTF16_LE,
                                                               codecs.BOM_UTF16_BE)):
        return ReadError(path, None, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _detect_encoding(data[:SNIFF_BYTES * 4])
    if encoding is None:
        return ReadError(path, None, "undecodable: not UTF-8 and no charset detected")
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return ReadError(path, None, f"undecodable as detected charset {encoding}")


def _detect_encoding(sample: bytes) -> str | None:
    """The most likely charset of a non-UTF-8 sample (charset-normalizer), or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    return best.encoding if best is not None else None


def _sniff_kind(path: str, head: bytes) -> str:
    """``text``, ``html``, ``jsonl``, ``json`` or ``table`` from the extension and content."""
    suffix = Path(path).suffix.lower()
    start = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:512].lower()
    looks_html = start.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        start.startswith(b"<") and (b"<body" in head.lower() or b"<p" in head.lower()))
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSON_SUFFIXES or suffix in TEXT_SUFFIXES or suffix not in KNOWN_SUFFIXES:
        if start.startswith(b"["):
            return "json"
        if start.startswith(b"{"):
            return "jsonl"
        if looks_html:
            return "html"
        if suffix in JSON_SUFFIXES:
            return "jsonl"  # let the JSON reader report what is wrong, line by line
        return "text"
    return "table"


def _text_article(text: str, path: str, ident: str) -> Article | ReadError:
    text = text.strip()
    if not text:
        return ReadError(path, None, "empty file")
    title = ""
    first, sep, rest = text.partition("\n")
    if sep and rest.lstrip(" \t\r").startswith("\n") and len(first) < 300:
        title, text = first.strip().lstrip("# ").strip(), rest.strip()
    return Article(id=ident, text=text, title=title, path=path)


def _html_article(html: str, path: str, ident: str) -> Article | ReadError:
    import trafilatura

    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                      with_metadata=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if doc is not None and isinstance(doc, dict):  # older trafilatura returns a dict
        text = doc.get("text")
    if not text or not text.strip():
        return ReadError(path, None, "no article text found in the HTML page")
    title = (doc.get("title") if isinstance(doc, dict) else getattr(doc, "title", "")) or ""
    return Article(id=ident, text=text.strip(), title=title.strip(), path=path)


def _record_article(record: object, path: str, line: int, opts: ReadOptions
                    ) -> Article | ReadError:
    if not isinstance(record, dict):
        return ReadError(path, line, "record is not a JSON object")
    text = record.get(opts.text_field)
    if text is None:
        return ReadError(path, line, f"no {opts.text_field!r} field "
                                     f"(choose one with --text-field)")
    if not isinstance(text, str) or not text.strip():
        return ReadError(path, line, f"empty {opts.text_field!r}")
    ident = record.get(opts.id_field)
    ident = str(ident) if ident not in (None, "") else f"{path}:{line}"
    title = record.get(opts.title_field) or ""
    return Article(id=ident, text=text.strip(), title=str(title).strip(), path=path, line=line)


def _open_text(handle: IO[bytes], path: str) -> io.TextIOWrapper | ReadError:
    if not hasattr(handle, "peek"):
        handle = io.BufferedReader(handle)
    head = handle.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if b"\x00" in head:
        return ReadError(path, None, "binary file (contains NUL bytes), not text")
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sample's end
            detected = _detect_encoding(head)
            if detected is None:
                return ReadError(path, None, "undecodable: not UTF-8 and no charset detected")
            encoding = detected
    return io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")


def _read_jsonl(stream: io.TextIOWrapper, path: str, opts: ReadOptions
                ) -> Iterator[Article | ReadError]:
    number = 0
    while True:
        try:
            line = stream.readline(opts.max_bytes + 1)
        except UnicodeDecodeError as exc:
            yield ReadError(path, number + 1, f"undecodable bytes ({exc.reason}); "
                                              "rest of file skipped")
            return
        if not line:
            return
        number += 1
        if len(line) > opts.max_bytes:
            yield ReadError(path, number, f"record over the size limit ({opts.max_bytes} bytes)"
                                          "; rest of file skipped")
            return
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(path, number, f"malformed JSON line ({exc.msg})")
            continue
        yield _record_article(record, path, number, opts)


def _read_table(stream: io.TextIOWrapper, path: str, opts: ReadOptions, delimiter: str
                ) -> Iterator[Article | ReadError]:
    csv.field_size_limit(opts.max_bytes)
    reader = csv.DictReader(stream, delimiter=delimiter)
    try:
        fields = reader.fieldnames
    except (UnicodeDecodeError, csv.Error) as exc:
        yield ReadError(path, 1, f"unreadable header ({exc})")
        return
    if not fields:
        yield ReadError(path, None, "empty file")
        return
    if opts.text_field not in fields:
        yield ReadError(path, 1, f"no {opts.text_field!r} column (columns: "
                                 f"{', '.join(f for f in fields if f)}); choose one with "
                                 "--text-field")
        return
    line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as exc:
            yield ReadError(path, line + 1, f"unreadable row ({exc}); rest of file skipped")
            return
        yield _record_article(row, path, line + 1, opts)
        line = reader.line_num


def read_stream(handle: IO[bytes], path: str, kind: str, opts: ReadOptions | None = None
                ) -> Iterator[Article | ReadError]:
    """Read a binary stream of a known kind (``jsonl``, ``csv``, ``tsv``) record by record."""
    opts = opts or ReadOptions()
    stream = _open_text(handle, path)
    if isinstance(stream, ReadError):
        yield stream
        return
    try:
        if kind == "jsonl":
            yield from _read_jsonl(stream, path, opts)
        else:
            yield from _read_table(stream, path, opts, "\t" if kind == "tsv" else ",")
    finally:
        stream.detach()  # the caller owns (and closes) the binary handle


def read_path(path: str | Path, opts: ReadOptions | None = None
              ) -> Iterator[Article | ReadError]:
    """All articles of one file (``-`` reads standard input), streaming record formats."""
    opts = opts or ReadOptions()
    path = str(path)
    try:
        if path == "-":
            yield from _read_stdin(opts)
            return
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
            kind = _sniff_kind(path, head)
            if kind in ("text", "html", "json"):
                if size > opts.max_bytes:
                    yield ReadError(path, None, f"file over the size limit ({size} > "
                                                f"{opts.max_bytes} bytes)")
                    return
                data = head + handle.read()
                if not data.strip():
                    yield ReadError(path, None, "empty file")
                    return
                decoded = _decode(data, path)
                if isinstance(decoded, ReadError):
                    yield decoded
                    return
                if kind == "text":
                    yield _text_article(decoded, path, path)
                elif kind == "html":
                    yield _html_article(decoded, path, path)
                else:
                    yield from _read_json_array(decoded, path, opts)
                return
            if not head.strip():
                yield ReadError(path, None, "empty file")
                return
            handle.seek(0)
            suffix = Path(path).suffix.lower()
            table = "tsv" if suffix == ".tsv" else "csv"
            yield from read_stream(handle, path,
                                   "jsonl" if kind == "jsonl" else table, opts)
    except OSError as exc:
        yield ReadError(path, None, f"cannot read ({exc.strerror or exc})")


def _read_json_array(text: str, path: str, opts: ReadOptions) -> Iterator[Article | ReadError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ReadError(path, exc.lineno, f"malformed JSON ({exc.msg})")
        return
    for number, record in enumerate(data, 1):
        article = _record_article(record, path, number, opts)
        if isinstance(article, Article) and article.id == f"{path}:{number}":
            article = Article(f"{path}#{number}", article.text, article.title, path, None)
        yield article


def _read_stdin(opts: ReadOptions) -> Iterator[Article | ReadError]:
    handle = sys.stdin.buffer
    if not hasattr(handle, "peek"):
        handle = io.BufferedReader(handle)
    head = handle.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    start = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:1]
    if start == b"{":
        yield from read_stream(handle, "<stdin>", "jsonl", opts)
        return
    data = handle.read(opts.max_bytes + 1)
    if len(data) > opts.max_bytes:
        yield ReadError("<stdin>", None, f"input over the size limit ({opts.max_bytes} bytes)")
        return
    decoded = _decode(data, "<stdin>")
    if isinstance(decoded, ReadError):
        yield decoded
        return
    if start == b"<":
        yield _html_article(decoded, "<stdin>", "<stdin>")
    else:
        yield _text_article(decoded, "<stdin>", "<stdin>")


def read_all(paths: Iterable[str], opts: ReadOptions | None = None
             ) -> Iterator[Article | ReadError]:
    """Every article of every input named by ``paths``, in order, errors included."""
    for item in expand_paths(paths):
        if isinstance(item, ReadError):
            yield item
        else:
            yield from read_path(item, opts)
