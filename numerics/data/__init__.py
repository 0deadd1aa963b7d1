"""Offline data sets for the training experiments (curvature ``probe`` along training, ``schedules`` study).

* :mod:`warmup_theory.numerics.data.stdlib_corpus` — a byte-level text corpus made of the running Python's
  own standard-library ``.py`` sources (read at run time, never copied into the repository), split into
  train / validation by file; :func:`load_stdlib_corpus` returns a :class:`ByteCorpus`.
* :mod:`warmup_theory.numerics.data.digits` — scikit-learn's bundled 8×8 handwritten digits (1,797 images,
  10 classes), a stratified seeded split; :func:`load_digits_split` returns a :class:`DigitsData`.
  scikit-learn is imported lazily, only when the digits are loaded (extra ``experiments``).

Both loaders are deterministic (same arguments, same machine → identical tensors) and every result carries a
``fingerprint`` dict (sizes and a sha256 prefix) that experiment records store via ``to_dict()``.
"""

from warmup_theory.numerics.data.digits import DigitsData, load_digits_split
from warmup_theory.numerics.data.stdlib_corpus import SEPARATOR, ByteCorpus, load_stdlib_corpus

__all__ = ["SEPARATOR", "ByteCorpus", "DigitsData", "load_digits_split", "load_stdlib_corpus"]
