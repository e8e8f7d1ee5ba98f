"""Bad input to `raceaudit confirm`: exit status 2 and one line on stderr."""
import pytest

from conftest import FIXTURES, run

CALL = ["--path", FIXTURES, "--call", "bank:worker", "--trials", "1"]


def one_line_error(result, *words):
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("raceaudit: error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert result.stdout == ""


def test_missing_scan_file():
    one_line_error(run(["confirm", "--scan", "no/such/scan.json"] + CALL), "no/such/scan.json", "no such file")


def test_bad_json(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[{\"code\": \"RA001\",")
    one_line_error(run(["confirm", str(bad)] + CALL), "is not JSON")


def test_json_that_is_not_a_scan(tmp_path):
    other = tmp_path / "other.json"
    other.write_text("{\"hello\": 1}")
    one_line_error(run(["confirm", str(other)] + CALL), "expected a list of findings")


def test_unknown_fingerprint(bank_scan):
    _, path = bank_scan
    one_line_error(run(["confirm", path, "--finding", "0123456789abcdef"] + CALL), "--finding 0123456789abcdef",
                   "no finding with this fingerprint")


@pytest.mark.parametrize("site, words", [
    ("tests/confirm/fixtures/bank.py:9999", ["site not found", "lines"]),
    ("tests/confirm/fixtures/nothere.py:3", ["no such file"]),
    ("tests/confirm/fixtures/bank.py", ["expected FILE:LINE"]),
])
def test_site_not_found(site, words):
    one_line_error(run(["confirm", "--site", site, "--partner", "tests/confirm/fixtures/bank.py:16"] + CALL), *words)


def test_site_without_partner():
    one_line_error(run(["confirm", "--site", "tests/confirm/fixtures/bank.py:16"] + CALL), "--partner")


def test_no_workload(bank_scan):
    _, path = bank_scan
    one_line_error(run(["confirm", path]), "no workload")


def test_workload_that_does_not_import(bank_scan):
    _, path = bank_scan
    one_line_error(run(["confirm", path, "--call", "no_such_module:worker", "--trials", "1"]),
                   "cannot run the workload with python3", "no_such_module")


def test_unknown_interpreter(bank_scan):
    _, path = bank_scan
    one_line_error(run(["confirm", path, "--python", "python9.9"] + CALL), "python9.9")


def test_emit_test_with_pytest_mode(bank_scan):
    _, path = bank_scan
    one_line_error(run(["confirm", path, "--pytest", "tests/confirm/fixtures/test_bank_pytest.py",
                        "--emit-test", "x.py"]), "--emit-test")
