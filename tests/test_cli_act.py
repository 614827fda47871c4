"""`motcua act` headless: legal steps print the dossier, illegal ones exit non-zero, say why, change nothing."""

import json
from pathlib import Path

import pytest

from tests.cli_tools import motcua


@pytest.fixture
def counter(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    assert motcua(data, "init", "--agency-code", "H15.50.05.13", "--agency-name", "Ủy ban nhân dân xã Tân Lập",
                  "--parent-name", "Ủy ban nhân dân tỉnh Lào Cai", "--counter", "1", "--admin-user", "quantri",
                  "--admin-password", "motcua2026").returncode == 0
    return data


def test_walk_a_dossier_headless(counter: Path) -> None:
    received = motcua(counter, "receive", "--procedure", "1.004873", "--owner-name", "Lê Văn Tám", "--owner-id",
                      "015185000321", "--documents", "all", "--json")
    code = json.loads(received.stdout)["code"]

    refused = motcua(counter, "act", code, "return", "--json")
    assert refused.returncode != 0
    assert "Được tiếp nhận" in refused.stderr and "Đã xử lý xong" in refused.stderr
    assert refused.stdout == ""
    lookup = json.loads(motcua(counter, "lookup", code, "--json").stdout)
    assert lookup["status"] == 2 and len(lookup["events"]) == 1  # nothing changed

    for action in ("forward", "ready"):
        result = motcua(counter, "act", code, action, "--json")
        assert result.returncode == 0, result.stderr
    returned = motcua(counter, "act", code, "return", "--receiver-name", "Lê Văn Tám", "--receiver-id",
                      "015185000321", "--satisfaction", "1", "--json")
    assert returned.returncode == 0, returned.stderr
    data = json.loads(returned.stdout)
    assert data["status"] == 10
    assert "due_at" in data
    assert [e["type"] for e in data["events"]] == ["received", "forwarded", "result_ready", "returned"]


def test_supplement_request_needs_documents(counter: Path) -> None:
    code = json.loads(motcua(counter, "receive", "--procedure", "1.004873", "--owner-name", "Lê Văn Tám",
                             "--owner-id", "015185000321", "--json").stdout)["code"]
    missing = motcua(counter, "act", code, "request-supplement", "--reason", "Thiếu")
    assert missing.returncode == 1
    assert "giấy tờ cần bổ sung" in missing.stderr
    ok = motcua(counter, "act", code, "request-supplement", "--reason", "Thiếu giấy tờ",
                "--documents", "Giấy chứng tử;Bản sao trích lục ly hôn", "--json")
    data = json.loads(ok.stdout)
    assert data["status"] == 5
    assert data["events"][-1]["details"]["documents"] == ["Giấy chứng tử", "Bản sao trích lục ly hôn"]
