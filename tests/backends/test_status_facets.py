"""The status facet and the status filter agree with each other and with the indexed rule.

For every ``as_of`` day around the documents' expiry and invalidation dates, on every
backend: ``facets["status"][s]`` equals the total of a search filtered to status ``s``,
the facet counts add up to the total, and each count equals the rule both backends index
(:func:`gazette.status.index_fields`: invalidated from a date, or with no date; lapsed
after the expiry date). The Elasticsearch backend derives the facet from aggregations
over the invalidated documents and the expiry dates, so this pins that derivation too.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from gazette.backends.base import SearchQuery
from gazette.model import Document, Status, StatusEvent
from gazette.status import index_fields
from tests.factories import make_doc, repeal_event

DAYS = [dt.date(2019, 12, 31), dt.date(2020, 6, 30), dt.date(2020, 7, 1), dt.date(2021, 1, 1), dt.date(2030, 1, 1)]


def _expired_event(date: dt.date | None) -> StatusEvent:
    return StatusEvent(document_id="", kind="expired", date=date, cause="宣布失效")


def _documents() -> list[Document]:
    rnd = random.Random(5)
    docs = []
    for i in range(36):
        expiry = rnd.choice([None, dt.date(2020, 6, 30), dt.date(2020, 7, 1), dt.date(2025, 1, 1)])
        events = rnd.choice(
            [
                [],
                [],
                [repeal_event(dt.date(2020, 7, 1))],
                [repeal_event(dt.date(2029, 1, 1))],
                [_expired_event(dt.date(2020, 6, 30))],
                [_expired_event(None)],
            ]
        )
        docs.append(
            make_doc(
                f"关于第{i}号事项的通知",
                "为规范管理，制定本办法。" if i % 3 else "现就有关事项通知如下。",
                number=("静政发", 2019, i + 1),
                written=dt.date(2019, 1 + i % 12, 1),
                expiry=expiry,
                events=events,
            )
        )
    return docs


def _status(doc: Document, day: dt.date) -> Status:
    fields = index_fields(doc)
    inv_from, inv_status, expiry = fields["invalid_from"], fields["invalid_status"], fields["expiry_date"]
    if inv_status and (inv_from is None or inv_from <= day):
        return Status(inv_status)
    if expiry is not None and expiry < day:
        return Status.expired
    return Status.valid


@pytest.mark.parametrize("q", ["", "规范", "通知"])
def test_status_facet_equals_status_filter_and_rule(backend, load, q):
    docs = load(_documents())
    matching = [d for d in docs if not q or q in d.title or q in d.text]
    for day in DAYS:
        result = backend.search(SearchQuery(q=q, as_of=day, size=1))
        want: dict[str, int] = {}
        for d in matching:
            s = _status(d, day).value
            want[s] = want.get(s, 0) + 1
        assert result.facets["status"] == want, day
        assert sum(result.facets["status"].values()) == result.total == len(matching)
        for s in Status:
            filtered = backend.search(SearchQuery(q=q, as_of=day, status=s, size=1, facets=False))
            assert filtered.total == want.get(s.value, 0), (day, s)
