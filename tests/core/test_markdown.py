import pytest

from baerekraft_hub.core.markdown import render_markdown
from tests.hostile import PAYLOADS, dangerous_markup


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_markdown_never_carries_script(payload):
    assert dangerous_markup(str(render_markdown(payload))) == []


def test_ordinary_markdown_survives():
    html = str(render_markdown("## Mål\n\n**Viktig** og [lenke](https://ks.no).\n\n- én\n- to"))
    assert "<h2>Mål</h2>" in html and "<strong>Viktig</strong>" in html
    assert 'href="https://ks.no"' in html and 'rel="nofollow noopener noreferrer"' in html
    assert html.count("<li>") == 2
