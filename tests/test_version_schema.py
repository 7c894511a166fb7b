"""extractor_version on every record, `ua-extract --version`, and the JSON Schemas with $schema/$id."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

import pytest
from conftest import SAMPLES

from extractor.api import extract, extract_text
from extractor.settings import Settings
from extractor.version import __version__, compare, describe, extractor_version
from models import ErrorEntry, error_json_schema, json_schema


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor.cli", *args], capture_output=True, text=True, check=False)


def test_package_version_has_one_place() -> None:
    assert __version__ == metadata.version("ua-extract")
    import extractor

    assert extractor.__version__ == __version__


def test_every_record_names_its_extractor(settings) -> None:
    rec = extract(str(SAMPLES / "ua-057-16-eur4636432016.txt"), settings)
    assert rec.extractor_version == extractor_version()
    package, model = rec.extractor_version.split()
    assert package == f"ua-extract/{__version__}"
    name, version = model.split("/")
    assert version == metadata.version(name)
    blank = extract_text("UA 57/16", settings=Settings(model="blank"))
    assert blank.extractor_version == f"ua-extract/{__version__} blank"
    rules = extract_text("UA 57/16", settings=Settings(rules_only=True))
    assert rules.extractor_version == extractor_version(rules_only=True) and rules.extractor_version.endswith(
        " rules-only")


def test_cli_version_matches_the_records() -> None:
    p = cli("--version")
    assert p.returncode == 0 and p.stdout.strip() == extractor_version()


@pytest.mark.parametrize("a, b, want", [
    ("ua-extract/0.2.0 m/3.8.0", "ua-extract/0.1.0 m/3.8.0", 1),
    ("ua-extract/0.10.0 m/3.8.0", "ua-extract/0.9.0 m/3.8.0", 1),  # PEP 440 order, not string order
    ("ua-extract/0.1.0 m/3.8.0", "ua-extract/0.1.0 m/3.7.1", 1),
    ("ua-extract/0.1.0 m/3.8.0", "ua-extract/0.1.0 other/3.8.0 rules-only", 0),
    ("ua-extract/0.1.0 blank", None, 1),
    (None, None, 0),
    ("garbage", "ua-extract/0.0.1 blank", -1),
])
def test_compare_versions(a, b, want) -> None:
    assert compare(a, b) == want and compare(b, a) == -want


def test_describe_a_model_given_as_a_path() -> None:
    assert describe("/models/my_model/", "1.2", False) == f"ua-extract/{__version__} my_model/1.2"


def test_schemas_have_dialect_and_id_and_validate_real_lines(settings) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    rec_schema, err_schema = json_schema(), error_json_schema()
    for s in (rec_schema, err_schema):
        assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(s)
    assert rec_schema["$id"] != err_schema["$id"] and str(rec_schema["$id"]).endswith(":1.0")
    rec = json.loads(extract(str(SAMPLES / "ua-057-16-eur4636432016.txt"), settings).model_dump_json())
    err = json.loads(ErrorEntry(path="x.pdf", sha256=None, error="corrupt_pdf", reason="r").model_dump_json())
    jsonschema.validate(rec, rec_schema)
    jsonschema.validate(err, err_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(err, rec_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(rec, err_schema)
    assert json.loads(cli("schema").stdout) == rec_schema
    assert json.loads(cli("schema", "--errors").stdout) == err_schema
