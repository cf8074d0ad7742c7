"""The development-only mailbox page."""

from pathlib import Path


def test_the_mailbox_page_is_not_there_outside_development(client):
    assert client.get("/dev/epost/").status_code == 404


def test_the_mailbox_lists_received_emails_with_clickable_links(app, client, monkeypatch):
    folder = Path(app.instance_path) / "mailbox"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "000001.eml").write_bytes(
        b"To: kari@example.no\r\nSubject: Bekreft e-postadressen din\r\n"
        b"Date: Fri, 27 Nov 2026 06:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"\r\nHei Kari,\r\n\r\nhttp://127.0.0.1:5000/bekreft/abc.def/\r\n"
    )
    monkeypatch.setitem(app.config, "DEV_MAILBOX", True)
    try:
        html = client.get("/dev/epost/").get_data(as_text=True)
    finally:
        (folder / "000001.eml").unlink()
    assert "Bekreft e-postadressen din" in html and "kari@example.no" in html
    assert '<a class="ds-link" href="http://127.0.0.1:5000/bekreft/abc.def/">' in html


def test_the_development_server_also_runs_the_worker():
    import inspect

    from baerekraft_hub import devserver

    source = inspect.getsource(devserver.main)
    assert "run_worker" in source and "start_smtp_server" in source
