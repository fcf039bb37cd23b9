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


def test_comment_stance_measurement_set_is_held_out() -> None:
    from models.train.comment_stance import TEMPLATES, TOPICS, comment_stance_examples

    train, held = comment_stance_examples("train"), comment_stance_examples("heldout")
    assert not {t for t, _ in train} & {t for t, _ in held}
    assert not set(TOPICS["train"]) & set(TOPICS["heldout"])
    for family in ("train", "heldout"):
        assert not set(TEMPLATES[family].values()) & {
            tpl for other in TEMPLATES if other != family for tpl in TEMPLATES[other].values()
        }
    assert {y for _, y in train} == {0, 1, 2} and {y for _, y in held} == {0, 1, 2}
    assert ("I disagree with the proposal.", 0) in train and ("I agree with the proposal.", 2) in train


def test_macro_f1_threshold_does_not_flood_the_negative_class() -> None:
    import numpy as np

    from models.train.calibrate import best_macro_f1_threshold

    # 20 positives scored 0.6; 80 negatives: 60 at 0.1, 20 at 0.4. Positive-class F1 alone is best at 0.35
    # (every row above it: F1 0.67 vs 1.0 at 0.5); macro-F1 must pick a threshold between 0.4 and 0.6.
    probs = np.array([0.6] * 20 + [0.1] * 60 + [0.4] * 20)
    y = np.array([1] * 20 + [0] * 80)
    assert 0.4 < best_macro_f1_threshold(probs, y) <= 0.6
    assert best_macro_f1_threshold(probs, np.zeros(100, dtype=int)) == 0.5


def test_init_from_deepens_k(tmp_path: Path) -> None:
    import torch

    from models.encoder import load_encoder
    from models.network import MultiTaskTop
    from models.train.__main__ import init_from
    from models.train.export import export

    enc = load_encoder()
    source = MultiTaskTop.from_base(enc.model, 2)
    with torch.no_grad():
        for param in source.parameters():
            param.add_(torch.randn_like(param) * 0.01)  # differs from the base everywhere
    export(source, tmp_path, cfg_hash="test", cfg={}, calib={}, training={})
    deeper = MultiTaskTop.from_base(enc.model, 4)
    base = {k: v.clone() for k, v in deeper.state_dict().items()}
    init_from(deeper, tmp_path)
    shipped = {k: v.half().float() for k, v in source.state_dict().items()}  # export writes fp16
    for name, value in deeper.state_dict().items():
        parts = name.split(".")
        if parts[0] == "layers" and int(parts[1]) < 2:
            assert torch.equal(value, base[name])  # the new bottom layers keep the base encoder's weights
        elif parts[0] == "layers":
            assert torch.equal(value, shipped[".".join(["layers", str(int(parts[1]) - 2), *parts[2:]])])
        else:
            assert torch.equal(value, shipped[name])
    with pytest.raises(ValueError, match="may only grow"):
        init_from(MultiTaskTop.from_base(enc.model, 1), tmp_path)


def test_civility_sources_select_and_reject_unknown() -> None:
    from models.train.sources import Tasks, add_civility

    tasks = Tasks()
    add_civility(tasks, ("threats",))
    assert tasks.civility and {row[3] for row in tasks.civility} == {"threats"}
    with pytest.raises(ValueError, match="unknown civility sources"):
        add_civility(Tasks(), ("olid", "jigsaw"))
