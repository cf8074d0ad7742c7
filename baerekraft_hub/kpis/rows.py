"""Long lists of the KPI pages written in Python: the status page's KPI rows, the index's
91 KPIs, the KPI page's ranking and its list of municipalities to compare.

The page has 91 rows of up to nine cells. In Jinja each cell cost attribute lookups, escapes
and label calls (about 20 ms of a 30 ms request at the network's size); here the labels and
link bases are prepared once per page and each row is one f-string. Every text that comes
from the database goes through `escape`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import url_for
from flask_babel import ngettext
from markupsafe import Markup, escape
from sqlalchemy import Row

from baerekraft_hub.core.i18n import LocalText, current_language, localized
from baerekraft_hub.kpis.definitions import KpiDefinition
from baerekraft_hub.kpis.places import places
from baerekraft_hub.kpis.status import KpiStatus

_ID = 987654321  # a placeholder id: one url_for per kind, then the ids


def _base(endpoint: str, **values: int) -> tuple[str, str]:
    head, _, tail = url_for(endpoint, **values).partition(str(_ID))
    return head, tail


@dataclass
class RowWriter:
    """Writes <tr> rows for one page: labels (already escaped Markup) passed in once."""

    num: Callable[..., str]
    scopes: Iterable[str]
    trends: dict[str, str]
    of_four: dict[int, str]
    demo: str
    not_reported: str
    project: str
    practice: str
    blank_cells: int

    def __post_init__(self) -> None:
        self.scopes = tuple(self.scopes)
        self.language = current_language()  # once: Babel's locale lookup is slow per cell
        self.kpi_base = url_for("kpis.kpi", slug="-").removesuffix("-/")
        self.links = {
            "project": _base("projects.show", project_id=_ID),
            "practice": _base("practices.show", practice_id=_ID),
        }
        self.kinds = {"project": escape(self.project), "practice": escape(self.practice)}
        self.trends = {key: escape(label) for key, label in self.trends.items()}
        self.of_four = {key: escape(label) for key, label in self.of_four.items()}
        self.demo, self.not_reported = escape(self.demo), escape(self.not_reported)

    def rows(self, rows: Iterable[KpiStatus]) -> Markup:
        html = "\n".join(self._row(row) for row in rows)
        return Markup(html)  # noqa: S704 - every database text in it went through escape()

    def _row(self, row: KpiStatus) -> str:
        kpi = row.kpi
        code = escape(kpi.code)
        name = self._local(localized(kpi, "name", self.language))
        head = (
            f'<th scope="row"><a class="ds-link" href="{self.kpi_base}{kpi.slug}/">'
            f'{name}</a> <span class="kpi-code">{code}</span></th>'
        )
        return f'<tr data-kpi="{code}">{head}{self._cells(row)}{self._linked(row)}</tr>'

    def _local(self, text: LocalText) -> str:
        return local_html(text, self.language)

    def _cells(self, row: KpiStatus) -> str:
        latest = row.latest
        if latest is None:
            return f'<td colspan="{self.blank_cells}" class="muted">{self.not_reported}</td>'
        unit = f' <span class="unit">{escape(row.kpi.unit)}</span>' if row.kpi.unit else ""
        demo = f" {self.demo}" if latest.demo else ""
        if row.points is None:
            points, shown = "", '<span class="muted">–</span>'
        else:
            points, shown = row.points, self.of_four[row.points]
        cells = [
            f'<td class="value">{self.num(latest.value)}{unit}{demo}</td>',
            f"<td>{latest.year}</td>",
            f'<td class="points" data-points="{points}">{shown}</td>',
            f'<td class="trend" data-trend="{row.trend.value}">{self.trends[row.trend.value]}</td>',
        ]
        for scope in self.scopes:
            if scope not in row.peers:
                continue
            m = row.peers[scope]
            if m:
                demo = f" {self.demo}" if m.demo else ""
                text = f'{self.num(m.median, 2)} <span class="reporting">({m.reporting})</span>'
                cells.append(f'<td class="median-{scope}">{text}{demo}</td>')
            else:
                cells.append(f'<td class="median-{scope}">–</td>')
        return "".join(cells)

    def _linked(self, row: KpiStatus) -> str:
        if not row.linked:
            return '<td><span class="muted">–</span></td>'
        items = []
        for item in row.linked:
            head, tail = self.links[item.kind]
            items.append(
                f'<li><a class="ds-link" href="{head}{item.id}{tail}">{escape(item.title)}</a>'
                f' <span class="muted">({self.kinds[item.kind]})</span></li>'
            )
        return f'<td><ul class="plain-list">{"".join(items)}</ul></td>'


def local_html(text: LocalText, language: str) -> str:
    """What LocalText.__html__ writes, with the page's language looked up once."""
    if not text.text or text.lang == language:
        return escape(text.text)
    return Markup('<span lang="{}">{}</span>').format(text.lang, text.text)


def kpi_items(kpis: Iterable[KpiDefinition], latest: dict[int, Row], kpi_base: str) -> Markup:
    """<li>s of the index: each KPI's link and code, and how many municipalities reported
    its latest year (`latest`: network medians by KPI id)."""
    language = current_language()
    notes: dict[tuple[int, int], str] = {}  # the same few (count, year) pairs recur
    items = []
    for kpi in kpis:
        name = local_html(localized(kpi, "name", language), language)
        note = ""
        if (median := latest.get(kpi.id)) is not None:
            key = (median.reporting, median.year)
            if key not in notes:
                notes[key] = escape(
                    ngettext(
                        "%(num)d municipality reported for %(year)s",
                        "%(num)d municipalities reported for %(year)s",
                        median.reporting,
                        year=median.year,
                    )
                )
            note = f' <span class="muted">· {notes[key]}</span>'
        items.append(
            f'<li><a class="ds-link" href="{kpi_base}{kpi.slug}/">{name}</a>'
            f' <span class="kpi-code">{escape(kpi.code)}</span>{note}</li>'
        )
    return Markup("\n".join(items))  # noqa: S704 - every database text went through escape()


def place_options(slugs: set[str], selected: Iterable[str]) -> Markup:
    """<option>s of the organisations with these slugs, by name: from the kept organisation
    list, whose names are escaped once per generation, not once per page."""
    chosen = set(selected)
    html = "".join(
        f"{head}{' selected' if place.slug in chosen else ''}{tail}"
        for place in places().by_name
        if place.slug in slugs
        for head, tail in (place.option,)
    )
    return Markup(html)  # noqa: S704 - the kept names went through escape()


def ranking_rows(
    rows: Iterable, num: Callable[..., str], status_url: str, demo: str, of_four: dict
) -> Markup:
    """The KPI page's ranking rows (None: a gap where rows are left out); `status_url` has
    "-slug-" where each municipality's slug goes, `demo` and `of_four` are escaped labels."""
    head, tail = status_url.split("-slug-")
    html = []
    for r in rows:
        if r is None:
            html.append('<tr class="ranking-gap"><td colspan="5" class="muted">…</td></tr>')
            continue
        tag = f" {escape(demo)}" if r.demo else ""
        html.append(
            f'<tr><td>{r.rank}</td><th scope="row"><a class="ds-link"'
            f' href="{head}{escape(r.slug)}{tail}">{escape(r.name)}</a></th>'
            f"<td>{escape(num(r.population))}</td><td>{escape(num(r.value))}{tag}</td>"
            f"<td>{escape(of_four.get(r.points, '–'))}</td></tr>"
        )
    return Markup("\n".join(html))  # noqa: S704 - every text went through escape()
