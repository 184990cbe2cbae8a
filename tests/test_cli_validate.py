"""``jevons validate`` and ``jevons --version`` as a user runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app import __version__
from app.domain.library import PresetLibrary
from app.paths import presets_dir
from tests.conftest import jevons
from tests.factories import HARDWARE, MODEL, changed, comparison, write


def test_version() -> None:
    result = jevons("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"jevons {__version__}"


def test_help_lists_the_commands_and_the_apps_own_options() -> None:
    """``jevons --help`` listed the commands but never FILE, --screenshot or --size, the options of the
    app itself, which README's first command uses (fails before)."""
    result = jevons("--help")
    assert result.returncode == 0
    assert "evaluate" in result.stdout and "calibrate" in result.stdout
    launcher = result.stdout.split("Without a command, the desktop app starts:")[1]
    assert "usage: jevons [-h] [--screenshot PATH] [--size WxH] [FILE]" in launcher
    assert "shipped comparison's id" in launcher


def test_a_misspelt_command_is_named_with_the_closest_one_and_does_not_start_the_app(tmp_path: Path) -> None:
    """``jevons evalute FILE`` started the window and tried to open a file called 'evalute' (fails before)."""
    result = jevons("evalute", "deepseek-question")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        "jevons: 'evalute' is not a command, a file or a shipped comparison; did you mean 'evaluate'? "
        "(commands: validate, evaluate, export, report, sweep, calibrate)"
    )


def test_a_file_or_a_shipped_comparison_named_like_a_command_is_still_opened(tmp_path: Path, monkeypatch) -> None:
    """Only a word that names nothing is taken for a misspelt command: a file 'evalute' in the working
    folder, or a shipped comparison's id, is the app's to open."""
    from app.cli import misspelt_command

    assert misspelt_command("training-race") == "" and misspelt_command("quantum-bananas") == ""
    monkeypatch.chdir(tmp_path)
    assert misspelt_command("evalute") != ""
    (tmp_path / "evalute").write_text("{}")
    assert misspelt_command("evalute") == ""


def test_valid_files_exit_zero_with_one_line(tmp_path: Path) -> None:
    result = jevons("validate", str(write(tmp_path / "m.json", MODEL)), str(write(tmp_path / "h.json", HARDWARE)))
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["2 file(s) valid"]


def test_every_shipped_preset_validates() -> None:
    paths = [str(p) for p in sorted(presets_dir().glob("*/*.json"))]
    result = jevons("validate", *paths)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{len(paths)} file(s) valid"


def test_invalid_files_exit_two_with_one_line_per_problem(tmp_path: Path) -> None:
    good = write(tmp_path / "good.json", MODEL)
    bad = write(tmp_path / "bad.json", changed(changed(HARDWARE, "max_power_w", -1), "memory_gb", None))
    result = jevons("validate", str(good), str(bad))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[:-1] == [
        f"{bad}: memory_gb: required field is missing",
        f"{bad}: max_power_w: value −1 is negative: max power must be > 0 and <= 1,000,000",
    ]
    assert lines[-1] == "1 of 2 file(s) invalid, 2 problem(s)"
    assert "Traceback" not in result.stderr


def test_unknown_shipped_reference_in_a_comparison_is_reported(tmp_path: Path) -> None:
    document = changed(comparison(), "scenarios.0.hardware", "h100")
    result = jevons("validate", str(write(tmp_path / "c.json", document)))
    assert result.returncode == 2
    assert "scenarios[0] ('A').hardware: no shipped hardware preset 'h100'; did you mean 'h100-sxm'? known:" in result.stderr


def test_override_of_an_unknown_field_is_reported(tmp_path: Path) -> None:
    document = changed(comparison(), "scenarios.1.overrides", {"usage.reasoning_shar": 0.5})
    result = jevons("validate", str(write(tmp_path / "c.json", document)))
    assert result.returncode == 2
    assert "scenarios[1] ('B').overrides.usage.reasoning_shar: 'reasoning_shar' is not a field here" in result.stderr


def test_override_with_an_impossible_value_is_reported(tmp_path: Path) -> None:
    document = changed(comparison(), "scenarios.1.overrides", {"datacenter.pue": 0.5})
    result = jevons("validate", str(write(tmp_path / "c.json", document)))
    assert result.returncode == 2
    assert "scenarios[1] ('B').overrides.datacenter.pue: value 0.5 is impossible here" in result.stderr


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = jevons("validate", str(tmp_path / "absent.json"))
    assert result.returncode == 2
    assert f"{tmp_path / 'absent.json'}: file not found" in result.stderr


def test_overrides_of_the_hardware_reach_training_on_that_hardware() -> None:
    from app.domain.files import validate_document
    from app.domain.library import resolve_comparison
    from app.domain.scenario import Comparison

    document = changed(comparison(), "scenarios.0.overrides", {"hardware.max_power_w": 1400})
    parsed: Comparison = validate_document(document, "c.json")
    resolved = resolve_comparison(parsed, PresetLibrary())
    assert resolved.scenarios[0].hardware.max_power_w.value == 1400
    assert resolved.scenarios[0].training_hardware.max_power_w.value == 1400


def test_override_of_training_hardware_the_scenario_does_not_have_is_reported(tmp_path: Path) -> None:
    document = changed(comparison(), "scenarios.0.overrides", {"training_hardware.max_power_w": 1400})
    result = jevons("validate", str(write(tmp_path / "c.json", document)))
    assert result.returncode == 2
    assert "scenarios[0] ('A').overrides.training_hardware.max_power_w: this scenario trains on its serving hardware" in result.stderr


def test_every_subcommand_registers_under_the_name_the_command_line_dispatches_on() -> None:
    from app.cli import SUBCOMMANDS, build_parser

    for name in SUBCOMMANDS:
        subparsers = build_parser(name)._subparsers._group_actions[0]  # argparse keeps it there
        assert set(subparsers.choices) == {name}
    assert "calibrate" in build_parser().format_help() and "sweep" in build_parser().format_help()


def test_evaluate_imports_neither_the_calibration_fitter_nor_the_exporters() -> None:
    import subprocess
    import sys

    code = ("import sys; from app.cli import main; main(['evaluate', 'deepseek-question', '--samples', '1']);"
            "print(sorted(m for m in sys.modules if m.startswith(('app.commands', 'app.calibration.fit', 'PySide6'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "['app.commands', 'app.commands.comparison_file', 'app.commands.evaluate']"


def test_validate_takes_a_shipped_comparisons_id_like_evaluate_does() -> None:
    result = jevons("validate", "deepseek-question", "published-gpt-3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2 file(s) valid"


def test_validate_of_an_unknown_id_lists_the_shipped_ids() -> None:
    result = jevons("validate", "deepseek-questoin")
    assert result.returncode == 2
    assert "deepseek-questoin: file not found" in result.stderr
    assert "no shipped comparison has this id either; did you mean 'deepseek-question'? (shipped:" in result.stderr


def test_a_file_of_that_name_wins_over_the_shipped_id(tmp_path: Path, monkeypatch) -> None:
    from app.paths import file_or_shipped_comparison

    monkeypatch.chdir(tmp_path)
    assert file_or_shipped_comparison("deepseek-question").endswith("comparisons/deepseek-question.json")
    (tmp_path / "deepseek-question").write_text("{}")
    assert file_or_shipped_comparison("deepseek-question") == "deepseek-question"
