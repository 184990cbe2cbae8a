"""A deployment whose replica cannot hold its model's weights (and one sequence's KV cache) is refused like any
other impossible input: validate, evaluate, export and report exit 2 naming the file, the scenario, the
fields and the numbers; the window refuses the edit at its field and keeps the typing; a sweep that crosses
the limit is refused at its first point that does not fit. A reviewer's finding: 671 GB of DeepSeek-V3 on
8 x 80 GB H800s had come out as 12.19 Wh a query at a batch of one, meeting the service level, no warning."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import paths

COMPARISONS = paths.presets_dir() / "comparisons"


def _written(tmp_path: Path, source: str, index: int, **fields: str) -> Path:
    data = json.loads((COMPARISONS / f"{source}.json").read_text())
    data["scenarios"][index].update(fields)
    target = tmp_path / f"{source}-edited.json"
    target.write_text(json.dumps(data))
    return target


def _jevons(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, check=False)


@pytest.fixture
def deepseek_on_h800(tmp_path) -> Path:
    """The DeepSeek deployments with its one-node vLLM scenario moved to 80 GB H800s: 671 GB on 640 GB."""
    return _written(tmp_path, "deepseek-deployments", 2, hardware="h800-sxm")


@pytest.fixture
def llama_on_one_node(tmp_path) -> Path:
    """The DeepSeek question with Llama 3.1 405B on the shipped one-node vLLM deployment, which names no
    precision ("the model's published precision"): 405 GB of FP8 on 8 x 80 GB H100s."""
    return _written(tmp_path, "deepseek-question", 0, deployment="vllm-8-gpu-node")


@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_deepseek_v3_on_one_node_of_h800_is_refused_with_its_numbers(deepseek_on_h800, command) -> None:
    done = _jevons(command, str(deepseek_on_h800), *(["--json"] if command == "evaluate" else []))
    assert done.returncode == 2 and done.stdout == ""
    said = done.stderr
    assert f"{deepseek_on_h800}: scenarios[2] ('One vLLM node of 8 H200').deployment:" in said
    assert "DeepSeek-V3's weights need 671 GB at fp8" in said
    assert ("8 NVIDIA H800 SXM 80GB of 80 GB each (the deployment's Accelerators per replica, the hardware's Memory) "
            "hold 640 GB") in said
    assert "576 GB (90 %) is usable" in said and "10 of these accelerators would hold it" in said
    assert "Traceback" not in said


def test_llama_405b_on_one_node_is_served_at_its_publisher_s_fp8(llama_on_one_node) -> None:
    """A fixed deployment that names no precision serves the model the way its publisher does (Meta: FP8),
    like the automatic one; it had fallen back to the BF16 training weights, 810 GB that one node cannot hold."""
    done = _jevons("evaluate", str(llama_on_one_node), "--json")
    assert done.returncode == 0, done.stderr
    served = json.loads(done.stdout)["scenarios"][0]["inference"]["deployment"]
    assert served["precision"] == "fp8" and served["accelerators_per_replica"] == 8


def test_llama_405b_at_bf16_on_one_node_is_refused_and_told_of_its_fp8() -> None:
    """A deployment that names BF16 is served at BF16: on one node it is refused, and told of the FP8."""
    from app.domain.library import PresetLibrary
    from app.domain.loading import load_comparison
    from app.engine import memory_fit

    library = PresetLibrary()
    resolved = load_comparison(COMPARISONS / "deepseek-question.json", library)[1]
    node = library.get("deployment", "vllm-8-gpu-node").model_copy(update={"weight_precision": "bf16"})
    said = memory_fit.problem(resolved.scenarios[0].model_copy(update={"deployment": node}))
    assert said is not None and said.startswith("Llama 3.1 405B's weights need 810 GB at bf16")
    assert "hold 640 GB" in said and "serving it at fp8, as its publisher does (the deployment's Weight precision)" in said


@pytest.mark.parametrize("command", ["export", "report"])
def test_export_and_report_refuse_it_and_write_nothing(deepseek_on_h800, tmp_path, command) -> None:
    out = tmp_path / "out"
    done = _jevons(command, str(deepseek_on_h800), "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert "DeepSeek-V3's weights need 671 GB" in done.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("shipped", sorted(path.stem for path in COMPARISONS.glob("*.json")))
def test_every_shipped_comparison_holds_its_models(shipped) -> None:
    """Every shipped deployment holds its model (the one-node scenario's 8 x 141 GB H200s: 1,015 GB usable for
    DeepSeek-V3's 671 GB), in every Monte Carlo draw too (their prompts and answers of up to 6,000 tokens are far
    from any limit), so none warns of draws that do not fit; their figures are unchanged by the check
    (evaluate --json byte for byte)."""
    from app.domain.library import PresetLibrary
    from app.domain.loading import load_comparison
    from app.engine import memory_fit
    from app.engine.evaluate import evaluate
    from app.report.reduction import reduce

    resolved = load_comparison(COMPARISONS / f"{shipped}.json", PresetLibrary())[1]
    assert memory_fit.problems(resolved) == []
    figures = reduce(evaluate(resolved, samples=200, seed=0))
    assert [s.inference.unfit_share for s in figures.scenarios] == [0.0] * len(resolved.scenarios)


def test_a_sweep_of_memory_across_the_limit_is_refused_at_the_first_point_that_does_not_fit() -> None:
    """8 H200s hold DeepSeek-V3's 671 GB down to 93.2 GB each (671.1 GB + 0.1 GB of KV cache over 0.9 x 8): a
    map from 60 to 141 GB is refused at 60 GB; one from 93.5 to 141 GB is drawn."""
    refused = _jevons("sweep", "deepseek-deployments", "--scenario", "One vLLM node of 8 H200",
                      "--x", "hardware.memory_gb=60:141:4", "--y", "usage.prompt_tokens=500:2000:2", "--samples", "4", "--json")
    assert refused.returncode == 2 and refused.stdout == ""
    assert ("--x: hardware.memory_gb = 60 makes a deployment that cannot hold its model: DeepSeek-V3's weights need "
            "671 GB at fp8") in refused.stderr
    drawn = _jevons("sweep", "deepseek-deployments", "--scenario", "One vLLM node of 8 H200",
                    "--x", "hardware.memory_gb=93.5:141:2", "--y", "usage.prompt_tokens=500:2000:2", "--samples", "4", "--json")
    assert drawn.returncode == 0, drawn.stderr
    assert json.loads(drawn.stdout)["x"]["values"] == [93.5, 141]


def test_the_first_point_that_does_not_fit_is_the_one_named() -> None:
    """The check is per point: of 87, 105, 123 and 141 GB only 87 is below the 93.2 GB limit, and it is named;
    a map from 95 GB up is drawn."""
    from app.domain.library import PresetLibrary
    from app.domain.loading import load_comparison
    from app.engine.hardware import boundary_level
    from app.report.verdict_map import impossible_point

    resolved = load_comparison(COMPARISONS / "deepseek-deployments.json", PresetLibrary())[1]
    said = impossible_point(resolved.scenarios[2], "hardware.memory_gb", 87, 141, 4, boundary_level(resolved.boundary))
    assert said.startswith("hardware.memory_gb = 87 makes a deployment that cannot hold its model")
    assert impossible_point(resolved.scenarios[2], "hardware.memory_gb", 95, 141, 4, boundary_level(resolved.boundary)) == ""



def test_choosing_a_deployment_that_cannot_hold_the_model_is_refused_and_the_comparison_kept() -> None:
    """The window's preset choice: Llama 3.1 405B on the one-node vLLM deployment is refused with the reason,
    the comparison and its undo history stay as they were."""
    from app.domain.library import PresetLibrary
    from app.session.controller import Session
    from app.session.edits import EditError

    session = Session(PresetLibrary())
    session.open(session.example_document("deepseek-question"))
    session.select(1)  # DeepSeek-V3 on 144 H800s: one node of 8 does not hold it (671 GB on 576 usable)
    before = session.comparison
    with pytest.raises(EditError, match="DeepSeek-V3's weights need 671 GB at fp8"):
        session.use_preset("deployment", "vllm-8-gpu-node")
    assert session.comparison is before and not session.document.can_undo
    assert session.use_preset("hardware", "h200-sxm") and session.use_preset("deployment", "vllm-8-gpu-node")


def test_opening_a_file_whose_deployment_cannot_hold_its_model_is_refused(deepseek_on_h800) -> None:
    from app.domain.errors import PresetFileError
    from app.domain.library import PresetLibrary
    from app.session.controller import Session
    from app.session.document import Document

    session = Session(PresetLibrary())
    comparison = session.load(deepseek_on_h800)
    with pytest.raises(PresetFileError, match="DeepSeek-V3's weights need 671 GB") as refused:
        session.open(Document(comparison, deepseek_on_h800, saved=True))
    assert session.document is None
    # Named as the command line names it (the window's dialog had an empty file line: review 21, finding 8).
    assert [problem.file for problem in refused.value.problems] == [str(deepseek_on_h800)]
    assert str(refused.value).startswith(f"{deepseek_on_h800}: scenarios[2] ('")


def test_an_automatic_deployment_is_refused_only_when_no_replica_holds_one_sequence(tmp_path) -> None:
    """Llama 3.1 405B's automatic deployment with a 100-million-token prompt (52 TB of KV cache): no replica the search tries (up to
    its whole servers) holds one sequence's KV cache, nor does the memory rule's replica it would then serve,
    once computed at a batch of one; it is refused. At the shipped prompt the search's replica is served."""
    from app.domain.library import PresetLibrary
    from app.domain.loading import load_comparison
    from app.engine import memory_fit

    data = json.loads((COMPARISONS / "deepseek-question.json").read_text())
    data["scenarios"][0]["overrides"] = {"usage.prompt_tokens": {"value": 1e8}}
    target = tmp_path / "long.json"
    target.write_text(json.dumps(data))
    resolved = load_comparison(target, PresetLibrary())[1]
    said = memory_fit.problem(resolved.scenarios[0])
    assert said is not None and "Llama 3.1 405B's weights need 405 GB at fp8" in said
    assert "this replica cannot serve the model" in said
    shipped = load_comparison(COMPARISONS / "deepseek-question.json", PresetLibrary())[1]
    assert memory_fit.problem(shipped.scenarios[0]) is None


def _tight(tmp_path: Path) -> Path:
    """The DeepSeek deployments with its one-node scenario's H200s at 93.5 GB (DeepSeek-V3's 671 GB at fp8 and
    a chat sequence of the shipped 1,500 tokens fit in 0.9 x 8 x 93.5 GB = 673 GB) and prompts drawn up to
    100,000 tokens: it fits at its central values, not in its longest draws."""
    data = json.loads((COMPARISONS / "deepseek-deployments.json").read_text())
    data["scenarios"][2]["overrides"] = {
        "hardware.memory_gb": {"value": 93.5, "source": "test: a replica with little room for KV cache"},
        "usage.prompt_tokens": {"value": 1000, "low": 200, "high": 100_000, "source": "test: long prompts"},
    }
    target = tmp_path / "tight.json"
    target.write_text(json.dumps(data))
    return target


def test_draws_that_do_not_fit_the_replica_are_counted_and_said(tmp_path) -> None:
    """The memory check is made at central values; a draw past the limit was computed silently at a batch of
    one. The share of such draws is now a warning in the window's verdict, its Deployment tab and JSON."""
    from app.domain.library import PresetLibrary
    from app.domain.loading import load_comparison
    from app.engine import memory_fit
    from app.engine.evaluate import evaluate
    from app.engine.hardware import architecture
    from app.engine.sampling import draw
    from app.numbers import percent
    from app.report.reduction import reduce
    from app.report.verdict import deployment_summary, scenario_warnings

    resolved = load_comparison(_tight(tmp_path), PresetLibrary())[1]
    tight = resolved.scenarios[2]
    assert memory_fit.problem(tight) is None  # accepted: it fits at its central values
    result = evaluate(resolved, samples=400, seed=0)
    inp = draw(tight, 400, 0)  # the draws the engine computed, by the rule written out here
    arch = architecture(inp)
    tokens = inp["usage.prompt_tokens"] + inp["usage.answer_tokens"]
    unfit = arch.weight_bytes + tokens * arch.kv_bytes_per_token > 8 * 93.5e9 * 0.9
    assert 0.05 < unfit.mean() < 0.95 and tokens[unfit].min() > 1500  # only the longer draws miss
    assert (result.scenarios[2].inference.holds_one_sequence == ~unfit).all()
    share = reduce(result).scenarios[2].inference.unfit_share
    assert share == pytest.approx(unfit.mean())
    said = f"does not hold its model in {percent(share)} of the Monte Carlo draws"
    warnings = scenario_warnings(resolved, result)
    assert any(said in w for w in warnings[2]) and not any("hold its model" in w for w in warnings[0] + warnings[1])
    assert said in deployment_summary(result.scenarios[2])
    done = _jevons("evaluate", str(_tight(tmp_path)), "--json", "--samples", "400")
    assert done.returncode == 0, done.stderr
    assert any(said in w for w in json.loads(done.stdout)["scenarios"][2]["verdict"]["warnings"])
