"""依申请转主动 (条例第44条) and links to catalogue records.

foi may use catalog (DESIGN.md); the catalogue is imported lazily so foi works before the
catalogue app has data. No foreign key to catalog.Record is stored: the record's id and 索引号
are kept in the request's event data and the reply's `records` list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from gongkai.core import audit
from gongkai.core.actions import ActionError, require

from .. import rules
from ..models import EventKind, InfoRequest
from . import base
from .base import _event

if TYPE_CHECKING:
    from gongkai.catalog.models import Record
    from gongkai.core.actions import AnyUser
    from gongkai.orgs.models import Organisation


def find_records(government_id: int, index_nos: list[str]) -> list[dict[str, Any]]:
    """Catalogue records by 索引号 within one government, as {id, index_no, title}; unknown
    numbers raise ActionError listing them."""
    wanted = [n.strip() for n in index_nos if n.strip()]
    if not wanted:
        return []
    from gongkai.catalog.models import Record

    found = {
        r.index_no: r
        for r in Record.objects.filter(government_id=government_id, index_no__in=wanted)
    }
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ActionError("未找到以下索引号的政府信息：" + "、".join(missing) + "。")
    return [
        {"id": found[n].pk, "index_no": n, "title": found[n].title} for n in dict.fromkeys(wanted)
    ]


def convert_to_proactive(
    actor: AnyUser, requests: list[InfoRequest], *, title: str, publisher: Organisation
) -> Record:
    """Turn a group of similar requests into one draft proactive record (主动公开草稿) of
    `publisher`, in one step. Only the openness office of the requests' government may do it."""
    if len(requests) < 1:
        raise ActionError("请至少选择一件申请。")
    government_ids = {r.government_id for r in requests}
    if len(government_ids) != 1:
        raise ActionError("只能合并同一政府的申请。")
    government_id = government_ids.pop()
    require(rules.is_office(actor, government_id), "只有政务公开办公室可以依申请转主动。")
    if publisher.government_id != government_id:
        raise ActionError("发布机构须属于本政府。")
    if not title.strip():
        raise ActionError("请填写拟公开信息的标题。")
    from gongkai.catalog import actions as catalog_actions

    refs = "、".join(r.ref or r.tracking_code for r in requests)
    with transaction.atomic():
        locked = list(
            InfoRequest.objects.select_for_update(of=("self",))
            .filter(pk__in=[r.pk for r in requests])
            .order_by("pk")
        )
        done = [r for r in locked if r.converted_to_proactive]
        if done:
            raise ActionError(
                "以下申请已转为主动公开："
                + "、".join(r.ref or r.tracking_code for r in done)
                + "。"
            )
        record = catalog_actions.create_record(
            actor,
            publisher,
            {
                "title": title.strip(),
                "summary": f"依申请转主动（条例第四十四条）：多名申请人申请公开相同政府信息"
                f"（申请编号 {refs}），拟主动公开。",
                "attribute": "proactive",
            },
            source_ref=f"foi:{','.join(str(r.pk) for r in locked)}",
        )
        for req in locked:
            req.converted_to_proactive = True
            req.save(update_fields=["converted_to_proactive", "updated_at"])
            _event(
                req,
                EventKind.CONVERTED,
                base.today(),
                actor,
                note=f"转为主动公开草稿：{record.title}（索引号 {record.index_no}）",
                data={"record": record.pk, "index_no": record.index_no},
                public=False,
            )
            audit.record(
                actor,
                "foi.convert_to_proactive",
                req,
                after={"record": record.pk, "index_no": record.index_no},
            )
        return record
