"""Article pages: headings, tables, status notes, escaping."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from epub_builder.content import article_body, render_blocks, status_note
from epub_builder.xhtml import page
from tests.epub_builder.support import NS
from tests.factories import make_doc, repeal_event


def test_heading_levels_never_skip() -> None:
    html = render_blocks(["（一）第一项", "正文。", "1.细目", "一、大项"])
    assert html.splitlines() == ["<h2>（一）第一项</h2>", "<p>正文。</p>", "<h3>1.细目</h3>", "<h2>一、大项</h2>"]


def test_run_in_heading_keeps_one_paragraph() -> None:
    html = render_blocks(["（二）加强协调配合。各部门要密切配合，形成工作合力，确保按时完成各项任务。"])
    assert html == '<p><b class="run-in">（二）加强协调配合。</b>各部门要密切配合，形成工作合力，确保按时完成各项任务。</p>'
    assert render_blocks(["1.申请表；"]) == "<p>1.申请表；</p>"


def test_attachment_headings_start_one_level_down() -> None:
    html = render_blocks(["一、起草", "（一）草案", "1.征求意见", "（1）公开征求", "正文。"], top=3)
    assert html.splitlines() == [
        "<h3>一、起草</h3>", "<h4>（一）草案</h4>", "<h5>1.征求意见</h5>", "<h6>（1）公开征求</h6>", "<p>正文。</p>",
    ]


def test_tab_separated_rows_become_a_table() -> None:
    html = render_blocks(["项目\t单位", "审核\t司法局", "台账"])
    assert '<th scope="col">项目</th>' in html and "<td>司法局</td>" in html
    assert html.endswith("<p>台账</p>")


def test_repeal_note_names_date_and_basis() -> None:
    doc = make_doc("关于某事的通知", "正文", events=[repeal_event(dt.date(2023, 5, 1))])
    assert status_note(doc, dt.date(2023, 5, 1)) == "【提示】本文件已于2023年5月1日废止，废止依据：静政发〔2023〕4号。"
    assert status_note(doc, dt.date(2023, 4, 30)) is None


def test_expiry_note_states_the_period() -> None:
    doc = make_doc("关于某事的通知", "正文", expiry=dt.date(2022, 12, 31))
    assert status_note(doc, dt.date(2023, 1, 1)) == "【提示】本文件已于2023年1月1日失效（有效期至2022年12月31日，已届满）。"
    assert status_note(doc, dt.date(2022, 12, 31)) is None


def test_article_page_is_well_formed_whatever_the_text() -> None:
    doc = make_doc('标题<&>"\'', "正文\x0c含换页符\x00和<b>标签</b>&amp;\n\ufffe", number=("静政发", 2022, 1))
    root = etree.fromstring(page(doc.title, article_body(doc, as_of=dt.date(2024, 1, 1))))
    assert root.findtext(".//h:h1", namespaces=NS) == '标题<&>"\''
    assert root.findtext(".//h:div[@class='body']/h:p", namespaces=NS) == "正文含换页符和<b>标签</b>&amp;"
