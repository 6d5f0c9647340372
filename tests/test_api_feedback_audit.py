"""Charged reports about an agent show in the staff audit as a flag, with the report codes."""

from __future__ import annotations

from pathlib import Path

from catalog.load import Catalog
from tests.api_client import running_api
from tests.factories import report_body, tax_code


def test_charged_reports_flag_the_agent_unless_rejected(tmp_path: Path, catalog: Catalog) -> None:
    with running_api(tmp_path, catalog) as api:
        charged_id, _ = api.new_agent()
        other_id, _ = api.new_agent(
            tax_code=tax_code("010004752"), business_name="Viettel Post Cầu Giấy"
        )

        def charged(agent_id: str, description: str) -> str:
            body = report_body(
                kind="charged", subject_kind="agent", subject_id=agent_id, description=description
            )
            created = api.client.post("/api/v1/reports", json=body)
            assert created.status_code == 201, created.text
            return str(created.json()["code"])

        kept = charged(charged_id, "Đại lý thu 50.000 đồng khi nộp hồ sơ khai sinh cho con tôi.")
        progressing = charged(charged_id, "Tôi bị thu 20.000 đồng tiền nộp hồ sơ trực tuyến.")
        rejected = charged(other_id, "Đại lý thu tiền in ấn giấy tờ (tôi tự yêu cầu in màu).")
        wrong_info = api.client.post(
            "/api/v1/reports",
            json=report_body(subject_kind="agent", subject_id=other_id),
        )
        assert wrong_info.status_code == 201
        for code, action, note in [
            (progressing, "progress", "Đang liên hệ đại lý để xác minh."),
            (rejected, "reject", "Tiền in màu theo yêu cầu, không phải phí hỗ trợ."),
        ]:
            done = api.client.post(
                f"/api/v1/reports/{code}/{action}", json={"note": note}, headers=api.staff()
            )
            assert done.status_code == 200, done.text

        flagged = api.client.get(f"/api/v1/audit/agents/{charged_id}", headers=api.staff()).json()
        clean = api.client.get(f"/api/v1/audit/agents/{other_id}", headers=api.staff()).json()
        ranking = api.client.get("/api/v1/audit/agents?flag=charged", headers=api.staff()).json()

    (flag,) = [f for f in flagged["agent"]["flags"] if f["code"] == "charged"]
    assert (flag["value"], flag["threshold"]) == (2, 1)
    assert sorted(e["report_code"] for e in flag["evidence"]) == sorted([kept, progressing])
    assert {e["detail"] for e in flag["evidence"]} == {
        f"phản ánh {kept} về việc bị thu phí (đã tiếp nhận)",
        f"phản ánh {progressing} về việc bị thu phí (đang xử lý)",
    }
    assert "charged" not in [f["code"] for f in clean["agent"]["flags"]]
    assert [item["agent_id"] for item in ranking["items"]] == [charged_id]
