"""Paths named inside files (an answers file's ``rubric:``, a rubric's ``extends:``) are untrusted.

They must lead, symbolic links resolved, to a regular file inside the referencing file's folder,
the working directory, the rubric folders, the built-in rubrics or a folder allowed with
``--allow-path``; anything else is refused at the line of the reference, before it is opened.
A file read as a rubric or an answers file that is not one is said to be so without quoting it.
``extends`` chains are bounded and a cycle is reported where it closes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import svclevel
from tests.helpers import EXAMPLES, run_cli

SHADOW_LINES = "root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"
HARBOR = EXAMPLES / "harbor-lane-shop.yaml"
RETAIL = EXAMPLES / "rubrics" / "retail-four-level.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checked-out project (the working directory) and, beside it, a folder with a secret."""
    root = tmp_path / "project"
    (root / "audits").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "shadow").write_text(SHADOW_LINES, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _answers(path: Path, rubric: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"company: Acme\ndate: 2026-01-01\nrubric: {rubric}\nanswers: {{}}\n", encoding="utf-8"
    )
    return path


def _no_secret(*texts: str) -> None:
    for text in texts:
        assert "SECRETHASH" not in text
        assert "daemon" not in text


OUTSIDE = "is outside the folders svclevel reads from"


# ----------------------------------------------------------------------------- containment


def test_run_from_the_root_folder_the_working_directory_admits_nothing_more(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _answers(project / "audits" / "evil.yaml", str(project.parent / "elsewhere/shadow"))
    monkeypatch.chdir("/")
    refused = run_cli("assess", str(answers))
    assert refused.exit_code == 2
    assert OUTSIDE in refused.stderr
    _no_secret(refused.stdout, refused.stderr)


def test_a_git_repository_around_the_file_admits_nothing_more(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A dotfiles repository at $HOME would otherwise admit ~/.config from ~/Downloads; audits/
    # and rubrics/ side by side, run from audits/, need --allow-path (or a run from the root).
    (project / ".git").mkdir()
    (project / "rubrics").mkdir()
    (project / "rubrics" / "retail.yaml").write_text(RETAIL.read_text(encoding="utf-8"))
    _answers(project / "audits" / "acme.yaml", "../rubrics/retail.yaml")
    monkeypatch.chdir(project / "audits")
    refused = run_cli("assess", "acme.yaml")
    assert refused.exit_code == 2
    assert "acme.yaml:3:9: rubric: ../rubrics/retail.yaml " + OUTSIDE in refused.stderr
    assert run_cli("assess", "acme.yaml", "--allow-path", "../rubrics").exit_code == 0
    monkeypatch.chdir(project)
    assert run_cli("assess", "audits/acme.yaml").exit_code == 0


@pytest.mark.parametrize("how", ["absolute", "dot-dot", "symlink"])
def test_a_rubric_path_leading_out_of_the_project_is_refused_at_its_line(
    project: Path, how: str
) -> None:
    secret = project.parent / "elsewhere" / "shadow"
    if how == "symlink":
        (project / "audits" / "client.yaml").symlink_to(secret)
    ref = {"absolute": str(secret), "dot-dot": "../../elsewhere/shadow", "symlink": "client.yaml"}
    answers = _answers(project / "audits" / "acme.yaml", ref[how])
    result = run_cli("assess", str(answers), "--isolated")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{answers}:3:9: rubric: {ref[how]} {OUTSIDE} ")
    assert "--allow-path DIR" in result.stderr
    assert "--rubric" in result.stderr
    if how == "symlink":
        assert f"(it leads to {secret.resolve()})" in result.stderr
    _no_secret(result.stdout, result.stderr)


def test_an_extends_leading_out_of_the_project_is_refused_at_its_line(project: Path) -> None:
    rubric = project / "rubrics" / "tuned.yaml"
    rubric.parent.mkdir()
    outside = project.parent / "elsewhere" / "shadow"
    rubric.write_text(f"id: tuned\nversion: 1\nextends: {outside}\n", encoding="utf-8")
    for args in (["rubrics", "show", str(rubric)], ["validate", str(rubric)]):
        result = run_cli(*args, "--isolated")
        assert result.exit_code == 2, args
        assert f"{rubric}:3:10: extends: {outside} {OUTSIDE}" in result.stdout + result.stderr
        _no_secret(result.stdout, result.stderr)
    answers = _answers(project / "audits" / "acme.yaml", "../rubrics/tuned.yaml")
    result = run_cli("assess", str(answers), "--isolated")
    assert result.exit_code == 2
    assert f"extends: {outside} {OUTSIDE}" in result.stderr


def test_allow_path_lets_a_reference_out_and_the_file_is_still_not_quoted(project: Path) -> None:
    elsewhere = project.parent / "elsewhere"
    answers = _answers(project / "audits" / "acme.yaml", str(elsewhere / "shadow"))
    result = run_cli("assess", str(answers), "--isolated", "--allow-path", str(elsewhere))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{elsewhere / 'shadow'}: not a rubric: none of its top-level keys is a rubric key (a "
        "rubric has id, version, title, description, sources, levels; or id, version, extends)\n"
    )


def test_allow_path_must_be_a_folder(project: Path) -> None:
    result = run_cli("assess", str(HARBOR), "--isolated", "--allow-path", "nowhere")
    assert result.exit_code == 2
    assert result.stderr == "--allow-path nowhere is not a folder\n"


def test_allowed_folders_reach_a_rubric(project: Path, tmp_path: Path) -> None:
    """The answers file's own folder (wherever svclevel runs), the working directory, the rubric
    folders and an allowed folder all lead to a rubric."""
    shared = tmp_path / "shared"
    shared.mkdir()
    for folder in (project / "audits" / "rubrics", project / "rubrics", shared):
        folder.mkdir(exist_ok=True)
        (folder / "retail.yaml").write_text(RETAIL.read_text(encoding="utf-8"), encoding="utf-8")
    cases = [
        (_answers(project / "audits" / "a.yaml", "rubrics/retail.yaml"), []),
        (_answers(project / "audits" / "b.yaml", "../rubrics/retail.yaml"), []),
        (_answers(project / "audits" / "c.yaml", "retail"), ["--rubric-dir", str(shared)]),
        (
            _answers(project / "audits" / "d.yaml", str(shared / "retail.yaml")),
            ["--allow-path", str(shared)],
        ),
    ]
    for answers, options in cases:
        result = run_cli("assess", str(answers), "-f", "json", "--isolated", *options)
        assert result.exit_code == 0, (answers, result.stderr)
    os.chdir(tmp_path)  # the answers file's own folder counts wherever svclevel runs
    result = run_cli("assess", str(cases[0][0]), "--isolated")
    assert result.exit_code == 0, result.stderr


def test_a_rubric_typed_on_the_command_line_is_trusted(project: Path) -> None:
    outside = project.parent / "elsewhere" / "retail.yaml"
    outside.write_text(RETAIL.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("assess", str(HARBOR), "-r", str(outside), "--isolated")
    assert result.exit_code == 0, result.stderr
    assert run_cli("rubrics", "show", str(outside), "--isolated").exit_code == 0


def test_the_python_api_contains_references_unless_allowed(project: Path) -> None:
    elsewhere = project.parent / "elsewhere"
    (elsewhere / "retail.yaml").write_text(RETAIL.read_text(encoding="utf-8"), encoding="utf-8")
    answers = _answers(project / "audits" / "acme.yaml", str(elsewhere / "retail.yaml"))
    with pytest.raises(svclevel.InputError) as refused:
        svclevel.assess(answers)
    assert OUTSIDE in refused.value.problems[0].message
    assert refused.value.problems[0].line == 3
    assessed = svclevel.assess(answers, allow_paths=[elsewhere])
    assert assessed.rubric_id == "retail-four-level"


# ----------------------------------------------------------------- regular files, up front


def test_a_missing_directory_or_fifo_rubric_is_reported_at_the_reference(project: Path) -> None:
    (project / "audits" / "folder").mkdir()
    os.mkfifo(project / "audits" / "pipe.yaml")
    cases = {
        "nothere/rub.yaml": "nothere/rub.yaml: no such file",
        "folder/": "folder/: is a directory, not a rubric file",
        "pipe.yaml": "pipe.yaml: is a named pipe, not a regular file",
    }
    for ref, said in cases.items():
        answers = _answers(project / "audits" / "acme.yaml", ref)
        result = run_cli("assess", str(answers), "--isolated")
        assert result.exit_code == 2, ref
        assert result.stderr == f"{answers}:3:9: rubric: {said}\n"


def test_a_missing_directory_or_fifo_extends_is_reported_at_its_line(project: Path) -> None:
    (project / "folder").mkdir()
    os.mkfifo(project / "pipe.yaml")
    rubric = project / "tuned.yaml"
    for ref, said in {
        "nothere.yaml": "no such file",
        "folder/": "is a directory, not a rubric file",
        "pipe.yaml": "is a named pipe, not a regular file",
    }.items():
        rubric.write_text(f"id: tuned\nversion: 1\nextends: {ref}\n", encoding="utf-8")
        result = run_cli("rubrics", "show", str(rubric), "--isolated")
        assert result.exit_code == 2, ref
        assert result.stderr == f"{rubric}:3:10: extends: {ref}: {said}\n"


# ------------------------------------------------------------------------- never quoted


def test_a_file_that_is_no_rubric_is_never_quoted(project: Path) -> None:
    secret = project / "s.txt"
    secret.write_text(SHADOW_LINES, encoding="utf-8")
    not_rubric = "not a rubric: none of its top-level keys is a rubric key"
    runs = {
        "rubric:": run_cli("assess", str(_answers(project / "a.yaml", "s.txt")), "--isolated"),
        "--rubric": run_cli("assess", str(HARBOR), "-r", str(secret), "--isolated"),
        "rubrics show": run_cli("rubrics", "show", str(secret), "--isolated"),
        "validate": run_cli("validate", str(secret), "--isolated"),
    }
    (project / "tuned.yaml").write_text("id: t\nversion: 1\nextends: s.txt\n", encoding="utf-8")
    runs["extends:"] = run_cli("rubrics", "show", str(project / "tuned.yaml"), "--isolated")
    for how, result in runs.items():
        assert result.exit_code == 2, how
        _no_secret(result.stdout, result.stderr)
        if how != "validate":  # validate cannot tell what the file is, and says so
            assert not_rubric in result.stderr, how


def test_a_file_that_is_no_answers_file_is_never_quoted(project: Path) -> None:
    secret = project / "s.txt"
    secret.write_text(SHADOW_LINES, encoding="utf-8")
    for args in (["assess", "-r", "four-level"], ["compare"], ["validate", "-r", "four-level"]):
        result = run_cli(*args, str(secret), "--isolated")
        assert result.exit_code == 2, args
        _no_secret(result.stdout, result.stderr)
    result = run_cli("assess", "-r", "four-level", str(secret), "--isolated")
    assert result.stderr == (
        f"{secret}: not an answers file: none of its top-level keys is an answers key (an "
        "answers file has company, date, answers; and may have rubric, assessor)\n"
    )


# --------------------------------------------------------------------------------- extends


def _chain(folder: Path, links: int) -> Path:
    """r0.yaml extends r1.yaml ... extends r{links-1}.yaml, which extends four-level."""
    for i in range(links):
        target = f"r{i + 1}.yaml" if i + 1 < links else "four-level"
        (folder / f"r{i}.yaml").write_text(
            f"id: r{i}\nversion: 1\nextends: {target}\n", encoding="utf-8"
        )
    return folder / "r0.yaml"


def test_an_extends_chain_is_bounded_at_its_extends_line(project: Path) -> None:
    from svclevel.load.rubrics import MAX_EXTENDS_DEPTH

    assert run_cli("rubrics", "show", str(_chain(project, MAX_EXTENDS_DEPTH))).exit_code == 0
    first = _chain(project, 300)
    result = run_cli("rubrics", "show", str(first), "--isolated")
    assert result.exit_code == 2
    last = f"r{MAX_EXTENDS_DEPTH}.yaml"
    assert result.stderr == (
        f"{last}:3:10: extends: r{MAX_EXTENDS_DEPTH + 1}.yaml: more than {MAX_EXTENDS_DEPTH} "
        "rubrics extend one another in a row, the most svclevel follows; make one of them a full "
        "rubric\n"
    )
    answers = _answers(project / "acme.yaml", "r0.yaml")
    assert run_cli("assess", str(answers), "--isolated").stderr == result.stderr


def test_an_extends_cycle_is_reported_at_the_extends_that_closes_it(project: Path) -> None:
    (project / "cyc1.yaml").write_text("extends: cyc2.yaml\nid: cyc1\nversion: 1\n")
    (project / "cyc2.yaml").write_text("id: cyc2\nversion: 1\nextends: cyc1.yaml\n")
    answers = _answers(project / "acme.yaml", "cyc1.yaml")
    result = run_cli("assess", str(answers), "--isolated")
    assert result.exit_code == 2
    one, two = project.resolve() / "cyc1.yaml", project.resolve() / "cyc2.yaml"
    assert result.stderr == f"cyc2.yaml:3:10: extends: extends cycle: {one} → {two} → {one}\n"


# ------------------------------------------------------------------- configuration files


def test_a_configuration_file_cannot_widen_what_svclevel_reads(project: Path) -> None:
    """A configuration file may come with the pull request it checks: the rubric folders and
    the rubric it names stay inside its folder (flags and environment variables may go out)."""
    elsewhere = project.parent / "elsewhere"
    (elsewhere / "retail.yaml").write_text(RETAIL.read_text(encoding="utf-8"), encoding="utf-8")
    config = project / ".svclevel.yaml"
    config.write_text("rubric_dirs: [/]\n", encoding="utf-8")
    result = run_cli("assess", str(HARBOR))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{config}:1: rubric_dirs: / is outside the configuration file's folder, and a "
        "configuration file may come with the files it checks: give this folder with "
        "--rubric-dir or SVCLEVEL_RUBRIC_DIRS\n"
    )
    assert run_cli("assess", str(HARBOR), "--rubric-dir", "/").exit_code == 0
    config.write_text(f"rubric: {elsewhere / 'retail.yaml'}\n", encoding="utf-8")
    result = run_cli("assess", str(HARBOR))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{config}:1: rubric: {elsewhere / 'retail.yaml'} {OUTSIDE}")
    assert "name it with --rubric or SVCLEVEL_RUBRIC" in result.stderr
    env = {"SVCLEVEL_RUBRIC": str(elsewhere / "retail.yaml")}
    assert run_cli("assess", str(HARBOR), env=env).exit_code == 0
    config.write_text("rubric: four-level\nrubric_dirs: [rubrics]\n", encoding="utf-8")
    (project / "rubrics").mkdir()
    assert run_cli("assess", str(HARBOR)).exit_code == 0


def test_allow_path_holds_for_every_rubric_a_run_loads(project: Path, tmp_path: Path) -> None:
    """A rubric in a rubric folder that extends one in an allowed folder: assessed, and gated
    with --fail-below RUBRIC=LEVEL (loaded before the run), alike."""
    shared, folder = tmp_path / "shared", tmp_path / "mine"
    shared.mkdir()
    folder.mkdir()
    (shared / "retail.yaml").write_text(RETAIL.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "tuned.yaml").write_text(
        f"id: tuned\nversion: 1\nextends: {shared / 'retail.yaml'}\n", encoding="utf-8"
    )
    args = ["assess", str(HARBOR), "-r", "tuned", "--rubric-dir", str(folder), "--isolated"]
    gate = ["--fail-below", "tuned=meet"]
    refused = run_cli(*args, *gate)
    assert refused.exit_code == 2
    assert f"extends: {shared / 'retail.yaml'} {OUTSIDE}" in refused.stderr
    allowed = run_cli(*args, *gate, "--allow-path", str(shared))
    assert allowed.exit_code == 1  # assessed, and the gate applied: below Meet on tuned
    assert "below the threshold Meet expectations" in allowed.stderr


def test_a_configuration_file_that_is_none_is_never_quoted(project: Path) -> None:
    """A pull request can add `.svclevel.yaml` as a symbolic link to a secret."""
    secret = project.parent / "elsewhere" / "shadow"
    (project / ".svclevel.yaml").symlink_to(secret)
    result = run_cli("assess", str(HARBOR))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{project / '.svclevel.yaml'}: not a configuration file: none of its top-level keys is "
        "a setting (exceptions, fail_below, format, max_exception_days, report, rubric, "
        "rubric_dirs)\n"
    )


def test_every_command_that_reads_a_rubric_reference_contains_it(project: Path) -> None:
    secret = project.parent / "elsewhere" / "shadow"
    answers = _answers(project / "audits" / "acme.yaml", str(secret))
    for args in (
        ["validate", str(answers)],
        ["diff", str(answers), str(answers)],
        ["assess", str(answers), "--baseline", str(answers)],
        ["interview", "-o", str(answers)],
    ):
        result = run_cli(*args, "--isolated", stdin="quit\n")
        assert result.exit_code == 2, args
        assert f"{answers}:3:9: rubric: {secret} {OUTSIDE}" in result.stdout + result.stderr, args
        _no_secret(result.stdout, result.stderr)
