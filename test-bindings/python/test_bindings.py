"""The Python binding as users install it (wheel + peers from PyPI in a fresh venv; `npx projen bindings:test` sets it up).

Each app runs in its own interpreter (the jsii kernel reads the environment once, when it starts) and must write the same
bytes as its TypeScript twin, which bindings:test ran before into $BINDINGS_OUT: the twin app of test-bindings/typescript and
every README.md Python block next to the TypeScript block before it, so the README cannot show Python that does not work or
does something else. *.metadata.json files are compared without the creating program's stacks (`trace` and
`aws:cdk:creationStack` entries: file names and frames of the host language).
"""
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = pathlib.Path(os.environ.get("BINDINGS_OUT", str(ROOT / "test-bindings" / "out")))
README = ROOT / "README.md"


def python_blocks():
    markdown = README.read_text(encoding="utf-8")
    return [
        (markdown[: m.start()].count("\n") + 2, m.group(1))
        for m in re.finditer(r"^```python\n(.*?)^```$", markdown, flags=re.M | re.S)
    ]


BLOCKS = python_blocks()


def files_under(directory: pathlib.Path):
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


def without_traces(value):
    """The metadata without the stacks of the creating program (`trace`, `aws:cdk:creationStack` entries)."""
    if isinstance(value, list):
        return [without_traces(v) for v in value if not (isinstance(v, dict) and v.get("type") == "aws:cdk:creationStack")]
    if isinstance(value, dict):
        return {k: without_traces(v) for k, v in value.items() if k != "trace"}
    return value


def comparable(path: pathlib.Path) -> bytes:
    data = path.read_bytes()
    if path.name.endswith(".metadata.json"):
        return json.dumps(without_traces(json.loads(data)), sort_keys=True).encode()
    return data


def assert_same_files(expected: pathlib.Path, actual: pathlib.Path) -> None:
    assert files_under(actual) == files_under(expected)
    different = [f for f in files_under(expected) if comparable(expected / f) != comparable(actual / f)]
    assert different == [], f"differ from {expected}: {different}"


def run_python(args, cwd: pathlib.Path, env=None) -> None:
    result = subprocess.run(
        [sys.executable, *args], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-4000:]


def test_the_app_writes_the_bytes_of_its_typescript_twin(tmp_path):
    run_python([str(HERE / "app.py"), str(tmp_path)], cwd=tmp_path)
    assert (tmp_path / "k8s" / "fraud.k8s.yaml").exists()
    assert (tmp_path / "ecs" / "FraudServing.template.json").exists()
    for backend in ("k8s", "ecs"):
        report = json.loads((tmp_path / backend / "compliance-report.json").read_text())
        assert report["summary"]["violated"] == 0
        assert len(report["workloads"]) == 2
    assert_same_files(OUT / "typescript", tmp_path)


def test_the_comparison_fails_on_one_changed_byte(tmp_path):
    copy = tmp_path / "copy"
    for f in files_under(OUT / "typescript"):
        (copy / f).parent.mkdir(parents=True, exist_ok=True)
        (copy / f).write_bytes((OUT / "typescript" / f).read_bytes())
    assert_same_files(OUT / "typescript", copy)
    manifest = copy / "k8s" / "fraud.k8s.yaml"
    manifest.write_bytes(manifest.read_bytes().replace(b"namespace: fraud", b"namespace: fraue", 1))
    with pytest.raises(AssertionError):
        assert_same_files(OUT / "typescript", copy)


def test_the_readme_has_a_python_block_per_construct():
    for construct in (
        "k8s.CompliantModelService(",
        "k8s.CompliantTrainingJob(",
        "ecs.CompliantModelService(",
        "ecs.CompliantTrainingJob(",
    ):
        assert any(construct in code for _, code in BLOCKS), construct
    for _, code in BLOCKS:
        assert "from cdk_compliant_ml import" in code


@pytest.mark.parametrize("line,code", BLOCKS, ids=[f"README.md:{line}" for line, _ in BLOCKS])
def test_the_readme_python_block_writes_the_bytes_of_the_typescript_block_before_it(line, code, tmp_path):
    pairs = json.loads((OUT / "readme" / "pairs.json").read_text())
    pair = next(p for p in pairs if p["pythonLine"] == line)
    (tmp_path / "main.py").write_text(code, encoding="utf-8")
    run_python(
        ["main.py"], cwd=tmp_path, env={"CDK8S_OUTDIR": str(tmp_path / "dist"), "CDK_OUTDIR": str(tmp_path / "cdk.out")}
    )
    (tmp_path / "main.py").unlink()
    written = [d for d in ("dist", "cdk.out") if (tmp_path / d / "compliance-report.json").exists()]
    assert written, "no compliance report written"
    assert_same_files(OUT / "readme" / str(pair["index"]), tmp_path)
