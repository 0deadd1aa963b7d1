"""Offline data and models of ``warmup-theory probe``: determinism, split by file, exact parameter counts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import torch

from warmup_theory.numerics.data.stdlib_corpus import SEPARATOR, load_stdlib_corpus, stdlib_files
from warmup_theory.numerics.models.lm import LM_SIZES, build_lm, count_parameters
from warmup_theory.numerics.models.vision import VISION_MODELS, build_vision


def _tree(root: Path, n: int) -> None:
    for i in range(n):
        sub = root / f"pkg{i % 3}"
        sub.mkdir(exist_ok=True)
        (sub / f"mod{i:03d}.py").write_text(f"# marker-{i:03d}\n" + "def f():\n    return 1\n" * 5)
    (root / "site-packages").mkdir()
    (root / "site-packages" / "third.py").write_text("# marker-third\n")
    (root / "test").mkdir()
    (root / "test" / "test_x.py").write_text("# marker-test\n")


def test_corpus_is_deterministic_and_split_by_file(tmp_path: Path) -> None:
    _tree(tmp_path, 60)
    a = load_stdlib_corpus(root=tmp_path, val_fraction=0.2)
    b = load_stdlib_corpus(root=tmp_path, val_fraction=0.2)
    assert a.fingerprint == b.fingerprint
    assert torch.equal(a.train, b.train) and torch.equal(a.val, b.val)
    assert a.fingerprint["files"] == 60 and a.fingerprint["train_files"] + a.fingerprint["val_files"] == 60
    train, val = bytes(a.train.tolist()), bytes(a.val.tolist())
    for i in range(60):  # every file lands whole in exactly one split, chosen by its path's hash
        marker = f"marker-{i:03d}".encode()
        rel = f"pkg{i % 3}/mod{i:03d}.py"
        to_val = hashlib.sha256(rel.encode()).digest()[0] < 256 * 0.2
        assert (marker in val) == to_val and (marker in train) != to_val
    assert b"marker-third" not in train + val and b"marker-test" not in train + val
    assert train.count(SEPARATOR) == a.fingerprint["train_files"] - 1
    with_tests = load_stdlib_corpus(root=tmp_path, val_fraction=0.2, include_tests=True)
    assert with_tests.fingerprint["files"] == 61


def test_adding_a_file_moves_no_other_file(tmp_path: Path) -> None:
    _tree(tmp_path, 30)
    before = load_stdlib_corpus(root=tmp_path, val_fraction=0.3)
    (tmp_path / "pkg0" / "zzz_new.py").write_text("# new\n")
    after = load_stdlib_corpus(root=tmp_path, val_fraction=0.3)
    assert after.fingerprint["sha256"] != before.fingerprint["sha256"]
    moved = after.fingerprint["val_files"] - before.fingerprint["val_files"]
    assert moved in (0, 1) and after.fingerprint["train_files"] - before.fingerprint["train_files"] == 1 - moved


def test_batches_are_random_access_and_shifted(tmp_path: Path) -> None:
    _tree(tmp_path, 20)
    c = load_stdlib_corpus(root=tmp_path, val_fraction=0.25)
    x5, y5 = c.batch("train", 5, batch_size=3, context=12, seed=2)
    c.batch("train", 4, batch_size=3, context=12, seed=2)
    assert torch.equal(c.batch("train", 5, batch_size=3, context=12, seed=2)[0], x5)
    assert torch.equal(x5[:, 1:], y5[:, :-1]) and x5.dtype == torch.int64
    assert not torch.equal(c.batch("train", 6, batch_size=3, context=12, seed=2)[0], x5)
    with pytest.raises(ValueError, match="split must be"):
        c.batch("test", 0, batch_size=2)
    with pytest.raises(ValueError, match="context must be"):
        c.batch("val", 0, batch_size=2, context=10**9)


def test_real_stdlib_corpus_has_a_fingerprint() -> None:
    files = stdlib_files()
    assert files == sorted(files) and any(f == "os.py" for f in files)
    assert not any(f.startswith(("test/", "site-packages/")) for f in files)


def test_bad_corpus_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="val_fraction"):
        load_stdlib_corpus(root=tmp_path, val_fraction=1.5)
    with pytest.raises(ValueError, match="root must be"):
        load_stdlib_corpus(root=tmp_path / "missing")
    with pytest.raises(ValueError, match="leaves a split empty"):
        load_stdlib_corpus(root=tmp_path)


@pytest.mark.parametrize("size", list(LM_SIZES))
def test_lm_parameter_counts(size: str) -> None:
    c = LM_SIZES[size]
    d, f, v = c.d_model, c.d_ffn, c.vocab
    expected = 2 * v * d + c.n_layers * (4 * d * d + 3 * d * f + 2 * d) + d  # embed + head, blocks, final norm
    assert count_parameters(build_lm(size)) == expected
    assert {"tiny": 115_008, "small": 1_055_104, "medium": 4_877_568}[size] == expected


def test_models_are_seeded_and_deterministic() -> None:
    for build, names in ((build_lm, ["tiny"]), (build_vision, list(VISION_MODELS))):
        for name in names:
            a, b = build(name, seed=3), build(name, seed=3)
            assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
            assert not all(torch.equal(p, q) for p, q in zip(a.parameters(), build(name, seed=4).parameters()))
    with pytest.raises(ValueError, match="size must be one of"):
        build_lm("huge")
    with pytest.raises(ValueError, match="model must be one of"):
        build_vision("resnet50")


def test_lm_is_causal() -> None:
    m = build_lm("tiny", seed=0)
    x = torch.randint(0, 256, (1, 10), generator=torch.Generator().manual_seed(0))
    x2 = x.clone()
    x2[0, 7] = (x[0, 7] + 1) % 256
    assert torch.allclose(m(x)[0, :7], m(x2)[0, :7]) and not torch.allclose(m(x)[0, 7:], m(x2)[0, 7:])


def test_digits_split_is_stratified_and_standardised() -> None:
    pytest.importorskip("sklearn")
    from warmup_theory.numerics.data.digits import load_digits_split

    d = load_digits_split(test_fraction=0.2, seed=0)
    assert d.fingerprint["images"] == 1797 and d.x_train.shape[1:] == (1, 8, 8)
    assert d.y_train.numel() + d.y_test.numel() == 1797
    counts = torch.bincount(d.y_test, minlength=10)
    assert int(counts.max() - counts.min()) <= 2
    mean = d.x_train.reshape(len(d.x_train), -1).mean(0)
    assert float(mean.abs().max()) < 1e-5
    xb, _ = d.batch(0, batch_size=64, seed=1)
    assert torch.equal(xb, d.batch(0, batch_size=64, seed=1)[0])
    assert not torch.equal(xb, d.batch(1, batch_size=64, seed=1)[0])
