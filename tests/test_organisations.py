import re


def municipality_links(html):
    return re.findall(
        r'<li class="municipality"><a class="ds-link" href="/organisasjoner/[a-z0-9-]+/">', html
    )


def test_list_shows_every_municipality_grouped_under_the_15_counties(client):
    html = client.get("/kommuner/").get_data(as_text=True)
    assert len(municipality_links(html)) == 357
    assert len(re.findall(r'<section class="county-group"', html)) == 15
    assert "357 kommuner" in html


def test_filter_works_as_a_plain_get_form(client):
    html = client.get("/kommuner/?q=mold").get_data(as_text=True)
    assert municipality_links(html) == [
        '<li class="municipality"><a class="ds-link" href="/organisasjoner/molde/">'
    ]
    assert 'value="mold"' in html  # what the user typed stays in the box
    assert "<html" in html


def test_filter_matches_official_sami_names_and_numbers(client):
    assert "/organisasjoner/kautokeino/" in client.get("/kommuner/?q=guovda").get_data(as_text=True)
    assert "/organisasjoner/molde/" in client.get("/kommuner/?q=1506").get_data(as_text=True)


def test_htmx_gets_only_the_results_and_the_announced_count(client):
    response = client.get("/kommuner/?q=mold", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'id="org-count" hx-swap-oob="innerHTML"' in html and "1 kommune" in html
    assert "HX-Request" in response.headers["Vary"]


def test_history_restore_gets_the_whole_page(client):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get("/kommuner/?q=mold", headers=headers).get_data(as_text=True)


def test_no_match_says_so(client):
    html = client.get("/kommuner/?q=atlantis").get_data(as_text=True)
    assert 'class="ds-paragraph no-results"' in html
    assert municipality_links(html) == []


def test_a_very_long_filter_is_cut_not_failed(client):
    assert client.get("/kommuner/?q=" + "x" * 20000).status_code == 200


def test_profile_shows_number_county_and_population(client):
    html = client.get("/organisasjoner/molde/").get_data(as_text=True)
    assert "1506" in html and "Møre og Romsdal" in html
    assert re.search(r"32\D?816", html)  # population, grouped the Norwegian way


def test_county_profile_lists_its_municipalities(client):
    html = client.get("/organisasjoner/more-og-romsdal-fylke/").get_data(as_text=True)
    assert "/organisasjoner/molde/" in html and "/organisasjoner/alesund/" in html
