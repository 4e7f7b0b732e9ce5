"""Batch input (auditor/batch_input.py): URL lists and CSV tables, bad rows named by line.

No browser: the parsing is pure, and the CLI test at the end stops before any audit.
"""

from __future__ import annotations

import pytest

from auditor.batch_input import check_url, parse_input, read_targets
from auditor.cli import main
from auditor.errors import UsageError
from auditor.scope import normalise


def urls(batch) -> list[str]:
    return [t.url for t in batch.targets]


def test_url_list_skips_blank_lines_and_comments():
    text = "# our sites\n\nhttps://www.example.se/\n   \nexample.fi  # the Finnish one\n#https://commented.se\n"
    batch = parse_input(text, "sites.txt", "desktop")
    assert urls(batch) == ["https://www.example.se/", "https://example.fi"]
    assert all(t.device == "desktop" for t in batch.targets)
    assert batch.problems == ()


def test_url_list_bad_rows_are_named_by_line_and_good_rows_kept():
    text = "https://a.example.se/\nhtp:/broken\nnot a url\nftp://files.example.se/\nhttps://b.example.se/\n"
    batch = parse_input(text, "sites.txt", "mobile")
    assert urls(batch) == ["https://a.example.se/", "https://b.example.se/"]
    assert [t.device for t in batch.targets] == ["mobile", "mobile"]
    assert [p.line for p in batch.problems] == [2, 3, 4]
    assert batch.problems[0].text().startswith("sites.txt line 2: not a web address")


def test_a_repeated_site_is_a_problem_on_its_own_line():
    text = "https://www.example.se\nhttps://WWW.example.se/\n"
    batch = parse_input(text, "sites.txt", "desktop")
    assert urls(batch) == ["https://www.example.se"]
    (problem,) = batch.problems
    assert problem.line == 2 and "already on line 1" in problem.message


def test_query_strings_make_distinct_sites():
    # The resume test relies on this: /?n=1 and /?n=2 are two targets, as scope keeps them.
    assert normalise("http://127.0.0.1:8000/?n=1") != normalise("http://127.0.0.1:8000/?n=2")
    batch = parse_input("http://127.0.0.1:8000/?n=1\nhttp://127.0.0.1:8000/?n=2\n", "l.txt", "desktop")
    assert len(batch.targets) == 2 and batch.problems == ()


def test_csv_with_name_sector_and_device():
    text = (
        "url,name,sector,device,notes\n"
        "https://www.bank.example.se/,Öppna Banken,banking,,call them\n"
        "el.example.se,\"Mellan, El\",energy,mobile,\n"
        "https://tele.example.se/,Gömda Telekom,,desktop,\n"
    )
    batch = parse_input(text, "companies.csv", "desktop")
    assert batch.problems == ()
    bank, el, tele = batch.targets
    assert (bank.url, bank.name, bank.sector, bank.device) == (
        "https://www.bank.example.se/", "Öppna Banken", "banking", "desktop")
    assert (el.url, el.name, el.sector, el.device) == ("https://el.example.se", "Mellan, El", "energy", "mobile")
    assert tele.sector is None


def test_csv_bad_rows_are_named_by_line_and_good_rows_kept():
    text = (
        "Name;URL;Sector;Device\n"  # a spreadsheet in a Swedish locale: ; and capitals
        "A;https://a.example.se/;bank;\n"
        "B;;bank;\n"  # line 3: no URL
        "C;https://c.example.se/;bank;tablet\n"  # line 4: unknown device
        "\n"
        "# a comment row\n"
        "D;not a url;bank;\n"  # line 7
        "E;https://a.example.se/;bank;mobile\n"  # same URL, other device: a new target
        "F;https://a.example.se/;bank;desktop\n"  # line 9: a repeat of line 2
    )
    batch = parse_input(text, "sites.csv", "desktop")
    assert [(t.name, t.device) for t in batch.targets] == [("A", "desktop"), ("E", "mobile")]
    assert [p.line for p in batch.problems] == [3, 4, 7, 9]
    messages = [p.text() for p in batch.problems]
    assert messages[0] == "sites.csv line 3: no URL in the 'url' column"
    assert "tablet" in messages[1]
    assert "already on line 2" in messages[3]


def test_csv_is_recognised_by_its_header_and_a_byte_order_mark_is_ignored(tmp_path):
    f = tmp_path / "sites.txt"
    f.write_bytes("\ufeffurl\tname\nhttps://a.example.se/\tA\n".encode("utf-8"))
    batch = read_targets([], str(f), "desktop")
    assert [(t.url, t.name) for t in batch.targets] == [("https://a.example.se/", "A")]


def test_csv_without_a_url_column_is_a_usage_error():
    with pytest.raises(UsageError, match="url"):
        parse_input("name,sector\nA,bank\n", "sites.csv", "desktop")


def test_command_line_urls_come_first_and_a_repeat_in_the_file_is_named(tmp_path):
    f = tmp_path / "more.txt"
    f.write_text("https://b.example.se/\nhttps://a.example.se/\n", encoding="utf-8")
    batch = read_targets(["a.example.se/", "https://a.example.se/"], str(f), "desktop")
    assert urls(batch) == ["https://a.example.se/", "https://b.example.se/"]
    (problem,) = batch.problems
    assert problem.line == 2 and "the command line" in problem.message


def test_a_bad_command_line_url_or_a_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not a web address"):
        read_targets(["htp:/x"], None, "desktop")
    with pytest.raises(UsageError, match="no such input file"):
        read_targets([], str(tmp_path / "missing.txt"), "desktop")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("https://www.k\xf6p.se/\n".encode("latin-1"))
    with pytest.raises(UsageError, match="UTF-8"):
        read_targets([], str(bad), "desktop")


@pytest.mark.parametrize("text", ["localhost:8080", "127.0.0.1", "https://[::1]:9000/", "www.example.se/x?y=1"])
def test_check_url_accepts_hosts_and_adds_https(text):
    assert check_url(text).startswith(("https://", "http://"))


@pytest.mark.parametrize("text", ["htp:/x", "https://", "mailto:a@b.se", "https://a.se:port/", "javascript:alert(1)"])
def test_check_url_refuses_what_is_not_a_web_address(text):
    with pytest.raises(ValueError, match="not a web address"):
        check_url(text)


def test_cli_names_every_bad_row_and_stops_when_none_is_left(tmp_path, capsys):
    f = tmp_path / "sites.txt"
    f.write_text("# nothing good\nhtp:/x\nnot a url\n", encoding="utf-8")
    assert main(["audit", "--input", str(f), "--no-db"]) == 2
    err = capsys.readouterr().err
    assert f"{f} line 2: not a web address" in err
    assert f"{f} line 3: not a web address" in err
    assert err.strip().splitlines()[-1].startswith("contact-auditor: error: no site to audit")
