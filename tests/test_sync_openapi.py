"""The published OpenAPI file is the one the reference portal serves."""

from sync.portal.openapi import OPENAPI_FILE, render


def test_openapi_file_is_current() -> None:
    assert OPENAPI_FILE.read_text(encoding="utf-8") == render(), (
        "docs/sync-openapi.json is stale: run `python -m sync.portal.openapi`")


def test_openapi_describes_the_protocol() -> None:
    import json

    document = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    assert set(document["paths"]) == {"/v1/enroll", "/v1/push", "/v1/pull", "/v1/time"}
    push = document["paths"]["/v1/push"]["post"]
    assert {"name": "X-Motcua-Protocol", "in": "header", "required": True} .items() <= {
        k: v for p in push["parameters"] for k, v in p.items() if p["name"] == "X-Motcua-Protocol"}.items()
    assert push["security"] == [{"HTTPBearer": []}]
    assert "426" in push["responses"]
    results = document["components"]["schemas"]["ItemResult"]["properties"]["status"]
    assert set(results["enum"]) == {"accepted", "duplicate", "rejected"}
