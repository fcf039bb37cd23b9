"""`python -m models.train --quick` end to end into a temp dir, then the runtime loads what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models import MODELS_DIR


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.train.__main__ import main

    out = tmp_path_factory.mktemp("quick")
    main(["--quick", "--out", str(out)])
    return out


def test_quick_training_writes_loadable_weights(quick_run: Path) -> None:
    from models.runtime import CommentInput, ModelRuntime

    manifest = json.loads((quick_run / "manifest.json").read_text())
    for key in ("version", "encoder", "k", "labels", "temperatures", "thresholds", "config_hash", "files"):
        assert key in manifest
    assert manifest["training"]["quick"] is True
    rt = ModelRuntime.load(weights_dir=quick_run / "weights")
    assert rt.version == manifest["version"]
    (pred,) = rt.predict([CommentInput("hello there")], [rt.encode_articles(["an article"])[0]])
    assert pred.civility is not None and pred.on_topic is not None


def test_quick_run_never_touches_shipped_weights(quick_run: Path) -> None:
    assert not str(quick_run).startswith(str(MODELS_DIR))


def test_weights_small_and_never_pickled() -> None:
    files = [p for p in MODELS_DIR.rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix in {".pt", ".pth", ".bin", ".pkl", ".pickle", ".ckpt"}]
    weights = [p for p in (MODELS_DIR / "weights").glob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in weights) <= 25 * 1024 * 1024


def test_threat_measurement_set_is_held_out() -> None:
    from models.train.threats import threat_examples

    train = {t for t, _ in threat_examples("train")}
    held = {t for t, _ in threat_examples("heldout")}
    assert not train & held


def test_profanity_weak_label() -> None:
    from models.train.profanity import has_profanity

    assert has_profanity("what the fuck is this") and has_profanity("Bullshit.")
    assert not has_profanity("Scunthorpe assessment of the class")


def test_evaluate_small_files(tmp_path: Path, quick_run: Path) -> None:
    from models.evaluate import run_eval

    rows = {
        "civility": [
            {"text": "you idiot", "label": "offensive"},
            {"text": "nice day", "label": "not-offensive"},
        ],
        "sentiment": [{"text": "love it", "label": "positive"}, {"text": "hate it", "label": "negative"}],
        "stance": [
            {"text": "abortion is a right", "target": "Legalization of Abortion", "label": "favor"},
            {"text": "life begins at conception", "target": "Legalization of Abortion", "label": "against"},
        ],
        "on_topic": [
            {"text": "the bus plan", "article": "The council expands buses.", "label": "related"},
            {"text": "my cat", "article": "The council expands buses.", "label": "unrelated"},
        ],
        "fnc": [
            {"text": "Council expands buses", "article": "The council expands buses.", "label": "agree"},
            {"text": "Cat wins prize", "article": "The council expands buses.", "label": "unrelated"},
        ],
    }
    for task, data in rows.items():
        path = tmp_path / f"{task}.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in data))
        out = json.loads(
            run_eval(task, path, "json", plots=tmp_path / "plots", weights_dir=quick_run / "weights")
        )
        assert out["task"] == task and "macro_f1" in out
    assert (tmp_path / "plots" / "fnc-confusion.png").exists()


def test_identity_negatives_disjoint_from_fairness_set() -> None:
    from models.fairness.check import GROUPS, NAME_TEMPLATES, NAMES, TEMPLATES, load_sentences
    from models.train import identity_negatives as neg

    rows = neg.identity_negatives()
    assert 100 <= len(rows) <= 200 and len(set(rows)) == len(rows)
    measured_terms = {t.lower() for terms in GROUPS.values() for t in terms} | {n.lower() for n in NAMES}
    ours = {t.lower() for terms in neg.TERMS.values() for t in terms} | {n.lower() for n in neg.NAMES}
    assert not measured_terms & ours
    assert not set(TEMPLATES + NAME_TEMPLATES) & set(neg.TEMPLATES + neg.NAME_TEMPLATES)
    assert not {r["text"] for r in load_sentences()} & set(rows)


def test_civility_negatives_append_after_cached_texts() -> None:
    import torch

    from models.train.__main__ import add_civility_negatives, join_caches
    from models.train.batches import Indexed, TaskData
    from models.train.cache import TextCache

    civ = TaskData(text=torch.tensor([0, 1]), y=torch.ones(2, 6), mask=torch.ones(2, 6))
    data = Indexed(texts=["a", "b"], articles=[], train={"civility": civ}, dev={"civility": civ.take([])})
    new = add_civility_negatives(data, ["b", "neutral one", "neutral two"])
    assert new == ["neutral one", "neutral two"] and data.texts[:2] == ["a", "b"]
    both = torch.cat([data.train["civility"].text, data.dev["civility"].text])
    assert sorted(both.tolist()) == [0, 1, 2, 3]
    assert float(data.train["civility"].y[2:].sum()) == 0.0
    a = TextCache(states=torch.zeros(5, 2), offsets=torch.tensor([0, 2, 5]))
    b = TextCache(states=torch.ones(3, 2), offsets=torch.tensor([0, 1, 3]))
    joined = join_caches(a, b)
    assert joined.offsets.tolist() == [0, 2, 5, 6, 8] and joined.batch([3])[0].sum() == 4
