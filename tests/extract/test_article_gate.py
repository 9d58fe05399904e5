"""Which pages are articles: short real ones are kept in every script; menus, paywall
teasers and error pages are NoArticleText. Pages and texts written for these tests."""

from __future__ import annotations

import pytest

from newsetl.extract.article import NoArticleText, choose_reading, extract_article
from newsetl.extract.gate import MIN_WORDS, rejection
from tests.extract.newspage import article_ld, news_page

BRIEFS = {
    "en": ("Breakwater a year late", [
        "The harbour authority said on Monday that the new breakwater would be finished a year "
        "late. Storms damaged the first section twice during the winter, it said."]),
    "de": ("Wellenbrecher verzögert sich", [
        "Der neue Wellenbrecher im Hafen wird ein Jahr später fertig als geplant. Stürme haben "
        "den ersten Abschnitt im Winter zweimal beschädigt, teilte die Hafenbehörde mit."]),
    "ja": ("防波堤の完成、１年遅れ", [
        "港湾局は１４日、新しい防波堤の完成が当初の予定より１年遅れると発表した。冬の嵐で最初の区間が"
        "二度にわたって損傷したためだという。",
        "施工会社は修理費用を負担することで合意し、コンクリートのブロックは互いにかみ合う形に設計し"
        "直された。",
        "地元の漁業関係者からは、網の被害が続くとして早期の対策を求める声が上がっている。"]),
    "zh": ("防波堤推迟一年完工", [
        "港务局周二宣布，新建的防波堤将推迟一年完工。今年冬天的风暴两次损坏了第一段工程。",
        "承包商已同意承担维修费用，工程师重新设计了混凝土块，使其相互咬合。"]),
    "ko": ("방파제 완공 1년 늦어져", [
        "항만청은 월요일 새 방파제의 완공이 예정보다 1년 늦어질 것이라고 밝혔다. 겨울 폭풍으로 첫 구간이 "
        "두 차례 파손됐기 때문이다."]),
}


@pytest.mark.parametrize("lang", sorted(BRIEFS))
def test_a_short_real_article_is_stored_in_every_script(lang: str) -> None:
    # seven of nine Japanese news items were refused when words were counted between spaces
    title, paragraphs = BRIEFS[lang]
    html = news_page(paragraphs, title=title, lang=lang)

    page = extract_article(html.encode("utf-8"), f"https://news.example/{lang}/brief")

    assert page.paragraphs == tuple(paragraphs)
    assert page.language == lang


HEADLINES = {
    "en": ["Council approves the harbour budget after a long night",
           "Ferry timetable changes from the first of June",
           "Local school wins the regional robotics final",
           "Storm warning issued for the northern coast tonight",
           "New library opens its doors on the old market square",
           "Fishing quotas: what the new rules mean for the port"],
    "de": ["Stadtrat beschließt den Haushalt für den Hafen",
           "Neuer Fahrplan für die Fähren ab Juni",
           "Schule aus dem Ort gewinnt das Robotik-Finale",
           "Sturmwarnung für die Nordküste in der Nacht",
           "Neue Bibliothek am alten Marktplatz eröffnet",
           "Fangquoten: Was die neuen Regeln für den Hafen bedeuten"],
    "ja": ["市議会、港湾予算を可決　深夜までの審議",
           "フェリーの時刻表、６月１日から変更",
           "地元の高校、ロボット大会の地区決勝で優勝",
           "北部沿岸に今夜暴風警報",
           "旧市場広場に新しい図書館が開館",
           "漁獲枠　新ルールは港に何をもたらすか"],
}


@pytest.mark.parametrize("lang", sorted(HEADLINES))
def test_a_section_front_of_links_is_a_menu(lang: str) -> None:
    links = "".join(f'<li><a href="/story/{n}">{h}</a></li>' for n, h in enumerate(HEADLINES[lang]))
    html = news_page([], title="News", lang=lang, body_html=f'<ul class="teasers">{links}</ul>')

    with pytest.raises(NoArticleText, match="a menu"):
        extract_article(html, f"https://news.example/{lang}/section")


def test_paragraphs_that_are_links_are_dropped_and_a_text_of_them_is_a_menu() -> None:
    lines = [f'<p><a href="/story/{n}">{h}</a></p>' for n, h in enumerate(HEADLINES["en"])]
    lines.insert(3, "<p>The latest from the harbour.</p>")

    assert (rejection(["The latest from the harbour."] * 2, link_words=60) or "").startswith(
        "a menu")
    with pytest.raises(NoArticleText, match="a menu"):
        extract_article(news_page([], title="News", body_html="".join(lines)),
                        "https://news.example/latest")


def test_a_read_also_line_is_dropped_from_an_article_and_a_printed_address_is_kept() -> None:
    story = [
        "The harbour authority said on Monday that the new breakwater would be finished a year "
        "late, after storms damaged the first section twice during the winter.",
        "Engineers have redesigned the concrete blocks so that they interlock, and the "
        "contractor has agreed to pay for the repairs, the authority's report says.",
    ]
    body = (f"<p>{story[0]}</p>"
            '<p>Read also: <a href="/story/9">Fishing crews count the cost of a stormy winter</a></p>'
            f'<p>{story[1]}</p><p>The report: <a href="https://harbour.example/report">'
            "https://harbour.example/report</a></p>")

    page = extract_article(news_page([], title="Breakwater late", body_html=body),
                           "https://news.example/breakwater")

    assert page.paragraphs == (story[0], story[1], "The report: https://harbour.example/report")


TEASERS = {
    "en": ("The harbour board's accounts show a gap of four million in the breakwater budget.",
           "Subscribe to read the full article."),
    "de": ("Die Bilanz der Hafenbehörde zeigt eine Lücke von vier Millionen im Budget.",
           "Jetzt abonnieren und weiterlesen."),
    "ja": ("港湾局の決算で、防波堤の予算に４００万円の不足があることが分かった。関係者によると、",
           "この記事は有料会員限定です。"),
}


@pytest.mark.parametrize("lang", sorted(TEASERS))
def test_a_paywall_teaser_is_not_an_article(lang: str) -> None:
    lede, prompt = TEASERS[lang]
    ld = article_ld("Gap in the budget", "2024-11-07T08:00:00+01:00", isAccessibleForFree=False,
                    hasPart={"@type": "WebPageElement", "isAccessibleForFree": False,
                             "cssSelector": ".paywall"})
    html = news_page([lede, prompt], title="Gap in the budget", lang=lang, linked_data=ld)

    with pytest.raises(NoArticleText, match="paywall teaser"):
        extract_article(html, f"https://news.example/{lang}/budget")


def test_a_locked_article_served_whole_is_stored() -> None:
    paragraphs = [f"Paragraph {n}: the harbour board met again on Thursday, and its members "
                  "went through the accounts line by line with the contractor's engineers."
                  for n in range(8)]
    ld = article_ld("The accounts, line by line", "2024-11-07", isAccessibleForFree="False")

    page = extract_article(news_page(paragraphs, title="The accounts", linked_data=ld),
                           "https://news.example/accounts")

    assert page.paragraphs == tuple(paragraphs)


ERRORS = {
    "en": ("Page not found | Harbour Times",
           "Sorry, the page you were looking for could not be found. It may have been moved or "
           "deleted. Try the search box or go back to the home page for the latest news."),
    "de": ("Seite nicht gefunden – Hafenzeitung",
           "Leider konnten wir die gewünschte Seite nicht finden. Vielleicht wurde sie verschoben "
           "oder gelöscht. Nutzen Sie die Suche oder kehren Sie zur Startseite zurück."),
    "es": ("Página no encontrada - Diario del Puerto",
           "Lo sentimos, no hemos podido encontrar la página que buscaba. Es posible que se haya "
           "movido o eliminado. Utilice el buscador o vuelva a la portada para ver las noticias."),
    "en-status": ("404 | Harbour Times",
                  "We looked everywhere, but this page has gone. It may have been moved, or the "
                  "link you followed may be out of date. Our home page has today's stories."),
    "ja": ("ページが見つかりません｜港湾新聞",
           "お探しのページは見つかりませんでした。移動または削除された可能性があります。"
           "お手数ですが、トップページから最新のニュースをご覧ください。"),
}


@pytest.mark.parametrize("lang", sorted(ERRORS))
def test_an_error_page_is_not_an_article(lang: str) -> None:
    title, notice = ERRORS[lang]
    html = news_page([notice], title=title, headline="", lang=lang[:2])

    with pytest.raises(NoArticleText, match="an error page"):
        extract_article(html, f"https://news.example/{lang}/gone")


def test_a_brief_with_a_number_in_its_headline_is_an_article() -> None:
    brief = ("Bus route 404 will stop at the ferry terminal again from Monday, the transport "
             "office said, after the road works on the harbour front finished early.")
    page = extract_article(news_page([brief], title="Route 404 back at the ferry terminal"),
                           "https://news.example/route-404")
    assert page.paragraphs == (brief,)


def test_an_article_about_an_error_is_an_article() -> None:
    paragraphs = [f"Paragraph {n}: readers who followed old links to the archive met a page "
                  "that said the story could not be found, and the web desk has now fixed it."
                  for n in range(6)]
    page = extract_article(news_page(paragraphs, title="Why old links said page not found"),
                           "https://news.example/links")
    assert len(page.paragraphs) == 6


def test_the_rule_counts_unspaced_words_fairly() -> None:
    sentence = "港湾局は１４日、新しい防波堤の完成が当初の予定より１年遅れると発表した。"
    caption = "嵐で損傷した防波堤の最初の区間"
    assert rejection([sentence]) is None  # 35 characters: about 18 words
    assert rejection([caption]) == f"only 8 words of text, fewer than {MIN_WORDS}"
    assert rejection(["Storm damage."]) == f"only 2 words of text, fewer than {MIN_WORDS}"


def test_a_short_precision_reading_gives_way_to_a_far_longer_balanced_one() -> None:
    # precision mode sometimes keeps a reprint notice and drops the article
    notice = ["This copy is for your personal use only. Order reprints from our desk."]
    article = [f"Paragraph {n} of the article, which says what happened at the harbour and "
               "why it matters to the people who work there." for n in range(10)]
    caption = ["A photograph of the harbour wall after the storm."]

    assert choose_reading(notice, notice + article) == notice + article
    assert choose_reading(article, article + caption) == article  # long enough: no retry
    assert choose_reading(notice, notice + caption) == notice  # not far longer
