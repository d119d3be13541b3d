"""The project's own synthetic sample corpus: documents and gazette issues of 静乐县.

All texts here are written for this project (fictional but realistic county documents);
none is copied from ../shared/corpus. They exercise what ingest must recognise: GB/T
9704 elements, headings 一、/（一）/1., normative documents with validity sentences of
several forms, a 决定 that repeals an earlier sample document by its 发文字号 (静政发〔2019〕3号),
an ``同时废止`` clause, attachments 附件1/附件2, a 成文日期 in Chinese numerals, a 签发人
line, and a document whose validity period ran out before 2026-11-28.

The specs double as expected values for ingest tests. Validity facts, as printed:

========================  ==========  ==========================================  =========================
发文字号                   成文日期     validity sentence                            status on 2026-11-28
========================  ==========  ==========================================  =========================
静政发〔2019〕3号           2019-03-15  自2019年4月1日起施行，有效期5年                 repealed 2022-06-20 (〔2022〕11号)
静政办发〔2020〕12号        2020-05-08  自印发之日起施行，有效期三年                    expired (after 2023-05-07)
静政办发〔2021〕25号        2021-11-15  自2021年12月1日起施行，有效期至2026年11月30日    valid
静政发〔2022〕8号           2022-06-10  自2022年7月1日起施行，有效期5年                 valid
静建发〔2022〕15号          2022-06-15  自2022年7月1日起施行，有效期为五年              valid
静政发〔2023〕2号           2023-02-15  自发布之日起30日后施行，有效期5年               valid
静政办发〔2023〕4号         2023-03-10  自2023年4月1日起施行，有效期5年                 valid
========================  ==========  ==========================================  =========================
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .fonts import find_ttf
from .pdf import render_document, render_issue
from .spec import AttachmentSpec, DocSpec, IssueSpec, RenderOptions, SectionSpec

D = dt.date
GOV_MARK = "静乐县人民政府文件"
OFFICE_MARK = "静乐县人民政府办公室文件"
GOV = "静乐县人民政府"
OFFICE = "静乐县人民政府办公室"
TOWNS = "各乡镇人民政府，县直各有关单位："
CC = "县委各部门，县人大常委会办公室，县政协办公室，县法院，县检察院。"
PUBLIC = "（此件公开发布）"


def _gov(**kw) -> DocSpec:
    """A document of the county government (静政发)."""
    defaults = dict(
        issuer_mark=GOV_MARK, issuer=GOV, signature=GOV, addressee=TOWNS, note=PUBLIC,
        cc=CC, printed_by=OFFICE,
    )
    return DocSpec(**{**defaults, **kw})


def _office(**kw) -> DocSpec:
    """A document of the county government office (静政办发)."""
    defaults = dict(
        issuer_mark=OFFICE_MARK, issuer=OFFICE, signature=OFFICE, addressee=TOWNS, note=PUBLIC,
        cc=CC, printed_by=OFFICE,
    )
    return DocSpec(**{**defaults, **kw})


def _street_vending_2019() -> DocSpec:
    return _gov(
        doc_number="静政发〔2019〕3号",
        registration_number="JLDR-2019-0010003",
        title="静乐县城区临时占道经营管理办法",
        addressee=None,
        paragraphs=[
            "第一条 为加强城区临时占道经营管理，维护市容环境和道路通行秩序，方便群众生活，根据《城市市容和环境卫生管理条例》等有关规定，结合本县实际，制定本办法。",
            "第二条 本办法适用于本县城区规划范围内主次干道、广场、人行道等公共场所的临时占道经营活动。",
            "第三条 县城市管理局负责临时占道经营的统一管理工作；县市场监督管理局、县公安局交通警察大队、鹅城镇人民政府按照各自职责做好相关工作。",
            "第四条 临时占道经营实行定点、定时、定范围管理。临时经营点位由县城市管理局会同有关部门划定，并向社会公布。",
            "第五条 申请临时占道经营的，应当向县城市管理局提交申请书、身份证明和经营场所示意图。县城市管理局应当自受理之日起5个工作日内作出决定。",
            "第六条 临时占道经营者应当遵守下列规定：",
            "（一）按照核定的地点、时间和范围经营，不得擅自扩大经营面积；",
            "（二）保持经营场所及周边环境整洁，自备垃圾收集容器；",
            "（三）不得损坏市政公用设施和绿化设施；",
            "（四）经营结束后及时清理场地，恢复原貌。",
            "第七条 违反本办法规定的，由县城市管理局责令改正；拒不改正的，依照有关法律法规予以处罚。",
            "第八条 本办法自2019年4月1日起施行，有效期5年。",
        ],
        written_date=D(2019, 3, 15),
        printed_date=D(2019, 3, 18),
    )


def _rural_housing_2020() -> DocSpec:
    return _office(
        doc_number="静政办发〔2020〕12号",
        registration_number="JLDR-2020-0020012",
        title="静乐县人民政府办公室关于印发静乐县农村危房改造补助资金管理暂行办法的通知",
        paragraphs=[
            "《静乐县农村危房改造补助资金管理暂行办法》已经县人民政府同意，现印发给你们，请结合实际认真贯彻落实。",
            "静乐县农村危房改造补助资金管理暂行办法",
            "第一条 为规范农村危房改造补助资金管理，提高资金使用效益，根据上级有关规定，制定本办法。",
            "第二条 补助资金用于农村低收入群体等重点对象危房改造，实行专账核算、专款专用。",
            "第三条 补助标准为：整体重建的每户补助不超过3.5万元，维修加固的每户补助不超过1万元。",
            "第四条 县财政局会同县住房和城乡建设局按照改造进度拨付资金，竣工验收合格后一次性拨付剩余资金。",
            "第五条 任何单位和个人不得截留、挤占、挪用补助资金。对违反规定的，依法依规追究责任。",
            "第六条 本办法自印发之日起施行，有效期三年。",
        ],
        written_date=D(2020, 5, 8),
        chinese_numerals_date=True,
        printed_date=D(2020, 5, 9),
    )


def _grain_reserve_2021() -> DocSpec:
    return _office(
        doc_number="静政办发〔2021〕25号",
        registration_number="JLDR-2021-0020025",
        title="静乐县人民政府办公室关于印发静乐县县级储备粮管理办法的通知",
        paragraphs=[
            "经县人民政府同意，现将《静乐县县级储备粮管理办法》印发给你们，请认真遵照执行。",
            "第一章 总则",
            "第一条 为加强县级储备粮管理，确保储备粮数量真实、质量良好和储存安全，保障全县粮食安全，制定本办法。",
            "第二条 本办法所称县级储备粮，是指县人民政府储备的用于调节全县粮食供求总量、稳定粮食市场以及应对重大自然灾害或者其他突发事件的原粮及成品粮。",
            "第二章 储存管理",
            "第三条 县级储备粮实行储存库点动态管理，承储企业应当具备相应的仓储条件和管理能力。",
            "第四条 承储企业应当对县级储备粮实行专人保管、专仓储存、专账记载，确保账账相符、账实相符。",
            "第五条 县级储备粮原则上每年轮换三分之一，轮换计划由县发展和改革局会同县财政局下达。",
            "第三章 附则",
            "第六条 本办法自2021年12月1日起施行，有效期至2026年11月30日。",
        ],
        written_date=D(2021, 11, 15),
        printed_date=D(2021, 11, 16),
    )


def _collective_land_2022() -> DocSpec:
    return _gov(
        doc_number="静政发〔2022〕8号",
        registration_number="JLDR-2022-0010008",
        title="静乐县人民政府关于印发静乐县农村集体经营性建设用地入市管理办法（试行）的通知",
        paragraphs=[
            "现将《静乐县农村集体经营性建设用地入市管理办法（试行）》印发给你们，请认真贯彻执行。",
            "一、总体要求",
            "坚持土地公有制性质不改变、耕地红线不突破、农民利益不受损，稳妥有序推进农村集体经营性建设用地入市，建立同权同价、流转顺畅、收益共享的入市制度。",
            "二、入市范围和方式",
            "（一）入市范围。符合国土空间规划、用途管制和依法取得的农村集体经营性建设用地，可以通过出让、出租等方式交由单位或者个人使用。",
            "（二）入市方式。入市可以采取招标、拍卖、挂牌或者协议等方式，具体由入市主体依照本办法确定。",
            "三、收益分配",
            "1.入市收益在农村集体经济组织成员之间公平分配，分配方案须经集体经济组织成员大会或者成员代表大会三分之二以上成员同意。",
            "2.县人民政府按照入市成交价款的一定比例征收土地增值收益调节金，具体比例由县财政局另行制定。",
            "四、附则",
            "本办法自2022年7月1日起施行，有效期5年。",
        ],
        written_date=D(2022, 6, 10),
        printed_date=D(2022, 6, 13),
    )


def _repeal_decision_2022() -> DocSpec:
    return _gov(
        doc_number="静政发〔2022〕11号",
        title="静乐县人民政府关于废止部分行政规范性文件的决定",
        paragraphs=[
            "为维护法制统一，推进依法行政，县人民政府对现行有效的县级行政规范性文件进行了全面清理。经2022年6月16日县人民政府第12次常务会议研究，决定废止《静乐县城区临时占道经营管理办法》（静政发〔2019〕3号）和《静乐县城区户外广告设置管理暂行规定》（静政办发〔2018〕7号）。",
            "文件废止后，城区临时占道经营管理工作由县城市管理局依照有关法律法规和上级规定执行，确保管理工作平稳衔接。",
            "本决定自印发之日起施行。",
        ],
        written_date=D(2022, 6, 20),
        printed_date=D(2022, 6, 20),
    )


def _flood_control_2022() -> DocSpec:
    return _office(
        doc_number="静政办发〔2022〕30号",
        title="静乐县人民政府办公室关于做好2022年度防汛工作的通知",
        paragraphs=[
            "当前已进入主汛期，为切实做好今年防汛工作，保障人民群众生命财产安全，经县人民政府同意，现就有关事项通知如下：",
            "一、压实防汛责任",
            "各乡镇、各有关单位要严格落实以行政首长负责制为核心的防汛责任制，明确汾河沿线、水库、淤地坝和山洪灾害危险区的责任人，并向社会公布。",
            "二、加强隐患排查",
            "（一）县水利局要对全县水库、淤地坝开展拉网式排查，发现隐患立即整改。",
            "（二）县自然资源局要加强地质灾害隐患点巡查监测，落实群测群防措施。",
            "三、严格值班值守",
            "汛期实行24小时值班和领导带班制度，重要情况第一时间报告县防汛抗旱指挥部办公室。",
        ],
        attachment_notes=["1.静乐县2022年度防汛责任人名单", "2.静乐县防汛值班电话一览表"],
        attachments=[
            AttachmentSpec(
                label="附件1",
                title="静乐县2022年度防汛责任人名单",
                paragraphs=[
                    "县防汛抗旱指挥部总指挥：县人民政府县长",
                    "汾河静乐段防汛责任人：县人民政府分管副县长",
                    "各乡镇防汛责任人：各乡镇人民政府乡镇长",
                ],
            ),
            AttachmentSpec(
                label="附件2",
                title="静乐县防汛值班电话一览表",
                paragraphs=[
                    "县防汛抗旱指挥部办公室：0350-7221001",
                    "县水利局：0350-7221002",
                    "县应急管理局：0350-7221003",
                ],
            ),
        ],
        written_date=D(2022, 5, 20),
        printed_date=D(2022, 5, 20),
    )


def _cleanup_notice_2022() -> DocSpec:
    return _office(
        doc_number="静政办发〔2022〕29号",
        title="静乐县人民政府办公室关于开展2022年度县级行政规范性文件清理工作的通知",
        paragraphs=[
            "为深入推进法治政府建设，根据上级关于行政规范性文件管理的有关要求，县人民政府决定开展2022年度县级行政规范性文件清理工作。现将有关事项通知如下：",
            "一、清理范围",
            "截至2022年5月31日，以县人民政府及县人民政府办公室名义制定的现行有效的行政规范性文件。",
            "二、清理方式",
            "各起草部门对本部门牵头起草的文件逐件提出继续有效、修改或者废止的意见，于2022年6月10日前报送县司法局。",
            "三、工作要求",
            "各单位要高度重视，确保清理工作不漏件、不走过场，清理结果向社会公布。",
        ],
        written_date=D(2022, 6, 8),
        printed_date=D(2022, 6, 8),
    )


def _property_fees_2022() -> DocSpec:
    return DocSpec(
        issuer_mark="静乐县住房和城乡建设局文件",
        issuer="静乐县住房和城乡建设局",
        doc_number="静建发〔2022〕15号",
        registration_number="JLDR-2022-0150015",
        title="静乐县住房和城乡建设局关于规范城区物业服务收费管理的通知",
        addressee="各物业服务企业，各住宅小区业主委员会：",
        paragraphs=[
            "为规范城区物业服务收费行为，维护业主和物业服务企业的合法权益，现就有关事项通知如下：",
            "一、物业服务企业应当在住宅小区显著位置公示服务内容、服务标准、收费项目和收费标准，接受业主监督。",
            "二、物业服务收费实行政府指导价的，不得超过县发展和改革局公布的基准价及浮动幅度。",
            "三、物业服务企业不得以停水、停电等方式催交物业服务费。",
            "本通知自2022年7月1日起施行，有效期为五年。",
        ],
        signature="静乐县住房和城乡建设局",
        written_date=D(2022, 6, 15),
        note=PUBLIC,
        printed_by="静乐县住房和城乡建设局办公室",
        printed_date=D(2022, 6, 15),
    )


def _request_2022() -> DocSpec:
    return DocSpec(
        issuer_mark=GOV_MARK,
        issuer=GOV,
        doc_number="静政发〔2022〕10号",
        signer="李明华",
        title="静乐县人民政府关于申请将汾河静乐段生态修复项目纳入市级重点项目的请示",
        addressee="忻州市人民政府：",
        paragraphs=[
            "汾河静乐段生态修复项目是我县落实汾河流域生态保护和高质量发展的重点工程，项目总投资约2.6亿元，涵盖河道整治、湿地修复和水源涵养林建设等内容。",
            "目前，项目可行性研究报告已经编制完成，用地、环评等前期工作正在有序推进。为加快项目建设进度，恳请市人民政府将该项目纳入2022年度市级重点项目，并在资金和政策上给予支持。",
            "妥否，请批示。",
        ],
        signature=GOV,
        written_date=D(2022, 4, 12),
        note="（联系人：王晓东，联系电话：0350-7225566）",
        printed_by=OFFICE,
        printed_date=D(2022, 4, 12),
    )


def _business_environment_2023() -> DocSpec:
    return _gov(
        doc_number="静政发〔2023〕2号",
        registration_number="JLDR-2023-0010002",
        title="静乐县人民政府关于进一步优化营商环境的意见",
        paragraphs=[
            "为深入贯彻落实国家和省、市关于优化营商环境的决策部署，激发市场主体活力，推动全县经济高质量发展，现提出如下意见。",
            "一、提升政务服务效能",
            "（一）推行“一网通办”。依托政务服务平台，实现县级政务服务事项网上可办率达到95%以上。",
            "（二）压减办理时限。企业开办时间压缩至1个工作日以内，一般工业项目施工许可审批时间压缩至20个工作日以内。",
            "二、降低企业经营成本",
            "（一）落实减税降费政策，确保各项优惠政策直达快享。",
            "（二）规范涉企收费，严禁在法律法规规定之外向企业收取费用。",
            "三、强化法治保障",
            "严格规范公正文明执法，对市场主体轻微违法行为依法不予行政处罚或者从轻、减轻处罚。",
            "本意见自发布之日起30日后施行，有效期5年。",
        ],
        written_date=D(2023, 2, 15),
        printed_date=D(2023, 2, 16),
    )


def _open_government_2023() -> DocSpec:
    return _gov(
        doc_number="静政发〔2023〕3号",
        title="静乐县人民政府关于印发静乐县2023年政务公开工作要点的通知",
        paragraphs=[
            "现将《静乐县2023年政务公开工作要点》印发给你们，请结合实际抓好落实。",
            "一、加强政策公开解读",
            "县级行政规范性文件应当统一登记、统一编号、统一发布，并在县人民政府门户网站集中公开，做到应公开尽公开。",
            "二、推进基层政务公开标准化",
            "各乡镇要对照基层政务公开标准目录，及时更新公开事项，确保公开内容准确完整。",
            "三、办好政府公报",
            "县人民政府办公室要按期编辑出版《静乐县人民政府公报》，做好电子化公报的查询服务。",
        ],
        written_date=D(2023, 2, 20),
        printed_date=D(2023, 2, 21),
    )


def _public_rental_2023() -> DocSpec:
    return _office(
        doc_number="静政办发〔2023〕4号",
        registration_number="JLDR-2023-0020004",
        title="静乐县人民政府办公室关于印发静乐县公共租赁住房管理办法的通知",
        paragraphs=[
            "《静乐县公共租赁住房管理办法》已经县人民政府第3次常务会议审议通过，现印发给你们，请认真贯彻执行。",
            "第一条 为规范公共租赁住房的分配、使用和退出管理，保障城镇中等偏下收入住房困难家庭的基本住房需求，制定本办法。",
            "第二条 县住房和城乡建设局负责全县公共租赁住房的管理工作。",
            "第三条 公共租赁住房租金标准按照同地段市场租金的70%确定，并实行动态调整。",
            "第四条 承租人有转租、转借或者擅自改变用途等行为的，应当退出公共租赁住房。",
            "第五条 本办法自2023年4月1日起施行，有效期5年。《静乐县公共租赁住房管理暂行办法》（静政办发〔2017〕9号）同时废止。",
        ],
        written_date=D(2023, 3, 10),
        printed_date=D(2023, 3, 10),
    )


def _migrant_wages_2023() -> DocSpec:
    return DocSpec(
        issuer_mark="静乐县人力资源和社会保障局文件",
        issuer="静乐县人力资源和社会保障局",
        doc_number="静人社发〔2023〕2号",
        title="静乐县人力资源和社会保障局关于做好2023年春季农民工工资支付保障工作的通知",
        addressee="各乡镇人力资源和社会保障所，各有关用人单位：",
        paragraphs=[
            "为切实保障农民工劳动报酬权益，根据《保障农民工工资支付条例》，现就做好2023年春季农民工工资支付保障工作通知如下：",
            "一、全面落实工资专用账户、实名制管理和工资保证金等制度，工程建设领域新开工项目制度覆盖率达到100%。",
            "二、畅通欠薪投诉举报渠道，欠薪线索实行台账管理，做到件件有着落。",
            "三、对拒不支付劳动报酬的，依法移送公安机关处理。",
        ],
        signature="静乐县人力资源和社会保障局",
        written_date=D(2023, 3, 6),
        note=PUBLIC,
        printed_by="静乐县人力资源和社会保障局办公室",
        printed_date=D(2023, 3, 6),
    )


#: Standalone documents by stable file key (docs/<key>.pdf).
_DOCUMENTS = {
    "jzf-2019-03": _street_vending_2019,
    "jzbf-2020-12": _rural_housing_2020,
    "jzbf-2021-25": _grain_reserve_2021,
    "jzf-2022-08": _collective_land_2022,
    "jzf-2022-10": _request_2022,
    "jzf-2022-11": _repeal_decision_2022,
    "jzbf-2022-30": _flood_control_2022,
    "jjf-2022-15": _property_fees_2022,
    "jzf-2023-02": _business_environment_2023,
}


def sample_documents() -> list[DocSpec]:
    """The standalone sample documents (each also written to docs/<key>.pdf)."""
    return [make() for make in _DOCUMENTS.values()]


def sample_issues() -> list[IssueSpec]:
    """Two whole gazette issues, 2022年第3期 (总第27期) and 2023年第1期 (总第31期)."""
    return [
        IssueSpec(
            year=2022,
            issue=3,
            overall_number=27,
            published_date=D(2022, 6, 30),
            sections=[
                SectionSpec(name="县政府文件", documents=[_collective_land_2022(), _repeal_decision_2022()]),
                SectionSpec(name="县政府办公室文件", documents=[_cleanup_notice_2022(), _flood_control_2022()]),
                SectionSpec(name="部门文件", documents=[_property_fees_2022()]),
            ],
        ),
        IssueSpec(
            year=2023,
            issue=1,
            overall_number=31,
            published_date=D(2023, 3, 31),
            sections=[
                SectionSpec(name="县政府文件", documents=[_business_environment_2023(), _open_government_2023()]),
                SectionSpec(name="县政府办公室文件", documents=[_public_rental_2023()]),
                SectionSpec(name="部门文件", documents=[_migrant_wages_2023()]),
            ],
        ),
    ]


def issue_file_name(issue: IssueSpec, suffix: str = "") -> str:
    """Stable file name of an issue, e.g. jingle-gazette-2022-03.pdf."""
    return f"jingle-gazette-{issue.year}-{issue.issue:02d}{suffix}.pdf"


def write_samples(directory: str | Path, options: RenderOptions | None = None) -> list[Path]:
    """Write every sample PDF under ``directory`` and return their paths, in a stable order.

    Layout: ``docs/<key>.pdf`` for each standalone document, ``gazettes/<issue>.pdf`` for
    each issue, and — when rendering with the CID font and a TrueType CJK font is
    installed — ``gazettes/<first issue>-ttf.pdf`` rendered with embedded TrueType subsets.
    Output is byte-identical across runs.
    """
    root = Path(directory)
    options = options or RenderOptions()
    written: list[Path] = []
    for key, make in _DOCUMENTS.items():
        path = root / "docs" / f"{key}.pdf"
        render_document(make(), path, options)
        written.append(path)
    issues = sample_issues()
    for issue in issues:
        path = root / "gazettes" / issue_file_name(issue)
        render_issue(issue, path, options)
        written.append(path)
    if options.font == "cid" and find_ttf() is not None:
        path = root / "gazettes" / issue_file_name(issues[0], "-ttf")
        render_issue(issues[0], path, options.model_copy(update={"font": "ttf"}))
        written.append(path)
    return written
