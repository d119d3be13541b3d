"""Line breaking and page-grid rules of the plain layout."""

from renderer.fonts import fonts_for
from renderer.layout import BODY_SIZE, CHARS_PER_LINE, LINES_PER_PAGE, NO_LINE_END, NO_LINE_START, TEXT_WIDTH, wrap
from renderer.spec import RenderOptions

FONT = fonts_for(RenderOptions()).body
TEXT = (
    "为加强城区临时占道经营管理，维护市容环境和道路通行秩序，方便群众生活，根据《城市市容和环境卫生管理条例》"
    "等有关规定（2019年修订），结合本县实际，制定本办法。“双随机、一公开”监管……到2025年ABC123完成。"
) * 3


def test_wrap_round_trips_the_text():
    assert "".join(wrap(TEXT, FONT, BODY_SIZE, TEXT_WIDTH, TEXT_WIDTH - 2 * BODY_SIZE)) == TEXT


def test_wrap_respects_line_start_and_end_punctuation():
    lines = wrap(TEXT, FONT, BODY_SIZE, TEXT_WIDTH)
    assert all(line[0] not in NO_LINE_START for line in lines[1:])
    assert all(line[-1] not in NO_LINE_END for line in lines[:-1])


def test_body_line_holds_at_most_28_full_width_characters():
    lines = wrap("静" * 100, FONT, BODY_SIZE, TEXT_WIDTH)
    assert [len(x) for x in lines] == [CHARS_PER_LINE] * 3 + [100 - 3 * CHARS_PER_LINE]
    assert LINES_PER_PAGE == 22


def test_ascii_runs_are_not_split():
    lines = wrap("静" * 27 + "JLDR-2022-0010001", FONT, BODY_SIZE, TEXT_WIDTH)
    assert lines == ["静" * 27, "JLDR-2022-0010001"]
