"""The script model: sections, shot lines, spoken-length estimate, Fountain."""

from storage.fountain import export_fountain, import_fountain
from storage.script_text import estimate, estimate_text, parse, render, spoken_lines

SCRIPT = """## Hook
Stop scrolling: three knife tricks.

## Body
INT. KITCHEN - DAY

HOST
(leans in)
First, the claw grip. Then the rock.
[cut to the board]
!! 2. Hands on the board — top shot @ kitchen

## CTA
Follow for part two.

## On-screen text
3 KNIFE TRICKS

## Caption
Knife skills #cooking

## Shots
!! 1. Close-up of the knife — CU @ kitchen
"""


def test_english_words_at_150_wpm():
    """Fifteen words at 150 wpm are six seconds."""
    est = estimate_text(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    )
    assert (est.words, est.cjk_chars, est.seconds) == (15, 0, 6.0)


def test_chinese_characters_at_250_cpm():
    """Twenty-five Han characters at 250 per minute are six seconds; punctuation is silent."""
    text = "今天教大家三个切菜的小技巧，第一个是爪形手势，第二个是摇刀法。"
    est = estimate_text(text)
    assert est.words == 0
    assert est.cjk_chars == 28
    assert est.seconds == round(28 * 60 / 250, 1)


def test_mixed_text_counts_both():
    """Latin words and Han characters in one line are each counted at their own rate."""
    est = estimate_text("用 iPhone 15 Pro 拍摄")  # 3 Han characters, 3 words
    assert (est.words, est.cjk_chars) == (3, 3)
    assert est.seconds == round(3 * 60 / 150 + 3 * 60 / 250, 1)


def test_custom_rates():
    """The rates come from the workspace config."""
    assert estimate_text("a b c d e f", wpm=60).seconds == 6.0
    assert estimate_text("一二三四五六", cpm=60).seconds == 6.0


def test_only_spoken_lines_count():
    """Scene headings, cues, parentheticals, directions and shot lines are not spoken."""
    doc = parse(SCRIPT)
    body = spoken_lines(doc.text("body"))
    assert body == ["First, the claw grip. Then the rock."]
    est = estimate(doc)
    assert est["hook"].words == 5
    assert est["body"].words == 7
    assert est["cta"].words == 4
    assert est["total"].words == 16  # on-screen text, caption and shots are not counted
    assert est["total"].seconds == round(16 * 60 / 150, 1)


def test_shots_are_parsed_from_every_section():
    """Shot lines keep their number, framing and location."""
    shots = parse(SCRIPT).shots()
    assert [(s.number, s.description, s.framing, s.location) for s in shots] == [
        (2, "Hands on the board", "top shot", "kitchen"),
        (1, "Close-up of the knife", "CU", "kitchen"),
    ]


def test_sections_render_back_unchanged():
    """Parsing then rendering a canonical script gives the same text."""
    assert render(parse(SCRIPT)) == SCRIPT


def test_fountain_round_trip_keeps_headings_dialogue_and_shots():
    """Export to Fountain and import back: the script text is unchanged."""
    fountain = export_fountain(SCRIPT, title="Knife tricks")
    assert fountain.startswith("Title: Knife tricks\n")
    assert "# Body" in fountain and "INT. KITCHEN - DAY" in fountain
    assert "[[3 KNIFE TRICKS]]" in fountain  # on-screen text is a note, not performed
    back, meta = import_fountain(fountain)
    assert back == SCRIPT
    assert meta["title"] == "Knife tricks"


def test_foreign_fountain_without_sections_becomes_the_body():
    """A plain Fountain screenplay lands in the body with its elements intact."""
    text = (
        "Title: Short\nAuthor: Someone\n\nEXT. PARK - NIGHT\n\nMAYA\n(quietly)\n"
        "你看那边。\n\n!! 1. Wide of the park — WS @ park\n"
    )
    body, meta = import_fountain(text)
    doc = parse(body)
    assert meta == {"title": "Short", "author": "Someone"}
    assert "EXT. PARK - NIGHT" in doc.text("body")
    assert spoken_lines(doc.text("body")) == ["你看那边。"]
    assert doc.shots()[0].location == "park"
    again, _ = import_fountain(export_fountain(body, title="Short"))
    assert again == body
