"""Scoring on a real Dask LocalCluster gives the single-machine records."""

from __future__ import annotations

import json

import pytest

from diplostance.cli import main

pytest.importorskip("distributed")


@pytest.mark.slow
def test_local_cluster_matches_single_machine(tiny_model_dir, tmp_path, capsys):
    """Two worker processes, bad files included: same records, manifest, resume of a part."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(9):
        (folder / f"a{i}.txt").write_text(f"Report {i}\n\nKenya expelled {i + 2} Somali "
                                          "diplomats on Monday.")
    (folder / "bad.txt").write_bytes(b"")
    (folder / "lines.jsonl").write_text('{"id": "j1", "text": "Peru signed a treaty."}\n{bad\n')
    single = tmp_path / "single.jsonl"
    assert main(["score", str(folder), "-o", str(single), "--model", str(tiny_model_dir)]) == 1
    out = tmp_path / "dask"
    code = main(["score", str(folder), "-o", str(out), "--model", str(tiny_model_dir),
                 "--dask", "local:2", "--partition-files", "4"])
    err = capsys.readouterr().err
    assert code == 1 and "bad.txt: empty file" in err and "lines.jsonl:2" in err
    parts = sorted(out.glob("part-*.jsonl"))
    assert [p.name for p in parts] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert "".join(p.read_text() for p in parts) == single.read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["articles"] == 10 and manifest["errors"] == 2
    # A lost partition is re-run alone with --resume.
    kept = parts[0].stat().st_mtime_ns
    parts[1].unlink()
    main(["score", str(folder), "-o", str(out), "--model", str(tiny_model_dir),
          "--dask", "local:2", "--partition-files", "4", "--resume"])
    capsys.readouterr()
    assert parts[0].stat().st_mtime_ns == kept
    assert "".join(p.read_text() for p in sorted(out.glob("part-*.jsonl"))) == single.read_text()


def test_dask_needs_an_output_folder(tiny_model_dir, tmp_path, capsys):
    """--dask without -o is a usage error."""
    assert main(["score", str(tmp_path), "--dask", "local:1",
                 "--model", str(tiny_model_dir)]) == 2
    assert "needs -o OUTDIR" in capsys.readouterr().err
