"""Config discovery, validation and writing."""

from __future__ import annotations

import tomllib

import pytest

from console.core import config as cfg


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_no_file(tmp_path, monkeypatch):
    monkeypatch.delenv("FLAGDESK_OPERATOR")
    c = cfg.load()
    assert c.db_path == tmp_path / "xdg-data" / "flagdesk" / "flagdesk.db"
    assert c.operator == cfg.os_user()
    assert c.sources["theme"] == "default"
    assert c.ahr_bands == {"healthy": 200, "at_risk": 100}
    assert c.rules().cause("ip_complaint").label == "IP complaint"
    assert c.rules().fates[0].id == "account_deactivated"


def test_discovery_order(tmp_path, monkeypatch):
    system = write(tmp_path / "etc" / "config.toml", 'theme = "nord"\noperator = "sys"\ndb_path = "/sys.db"\n')
    user = write(tmp_path / "xdg-config" / "flagdesk" / "config.toml", 'operator = "user"\n[keymap]\nquit = "x"\n')
    monkeypatch.delenv("FLAGDESK_OPERATOR")
    c = cfg.load()
    assert (c.theme, c.operator, str(c.db_path)) == ("nord", "user", "/sys.db")
    assert c.sources == {**c.sources, "theme": str(system), "operator": str(user), "keymap": str(user)}
    explicit = write(tmp_path / "other.toml", 'operator = "explicit"\n')
    monkeypatch.setenv("FLAGDESK_CONFIG", str(explicit))
    assert cfg.load().operator == "explicit"  # replaces the user file
    assert cfg.load().keymap == {}
    monkeypatch.setenv("FLAGDESK_DB", "/env.db")
    assert str(cfg.load().db_path) == "/env.db"
    c = cfg.load(db_path="/flag.db")
    assert str(c.db_path) == "/flag.db" and c.sources["db_path"] == "flag --db"


def test_malformed_toml_names_file_and_line(tmp_path):
    bad = write(tmp_path / "xdg-config" / "flagdesk" / "config.toml", 'theme = "nord"\noperator = \n')
    with pytest.raises(cfg.ConfigError) as err:
        cfg.load()
    message = str(err.value)
    assert str(bad) in message and "line 2" in message and "\n" not in message


@pytest.mark.parametrize("text,needle", [
    ("mark_read_on_open = 'yes'", "mark_read_on_open must be true or false"),
    ("opertor = 'x'", "unknown setting 'opertor'"),
    ("[ahr_bands]\nhealthy = 'x'", "whole numbers"),
    ("[[rules.fate]]\nid = 'x'\nseverity = 'urgent'\npatterns = ['x']", r"rules.fate\[1\] \(x\): severity must be one"),
    ("[[rules.cause]]\nid = 'vat'\npatterns = ['(']", r"rules.cause\[1\] \(vat\) pattern 1: missing \)"),
    ("[[rules.cause]]\nlabel = 'no id'\npatterns = ['x']", "id must be lowercase"),
    ("[rules]\nseverity = 1", "unknown key 'severity'"),
    ("rules = 1", "rules must be a table"),
])
def test_wrong_types_are_refused(tmp_path, text, needle):
    write(tmp_path / "xdg-config" / "flagdesk" / "config.toml", text)
    with pytest.raises(cfg.ConfigError, match=needle):
        cfg.load()


def test_missing_explicit_file(tmp_path):
    with pytest.raises(cfg.ConfigError, match="config file not found"):
        cfg.load(tmp_path / "nope.toml")


def test_init_and_set_round_trip(tmp_path):
    path = tmp_path / "c.toml"
    cfg.init_file(path)
    with pytest.raises(cfg.ConfigError, match="already exists"):
        cfg.init_file(path)
    cfg.set_value(path, "keymap.mark_read", "m,r")
    cfg.set_value(path, "mark_read_on_open", "false")
    cfg.set_value(path, "ahr_bands.healthy", "250")
    with pytest.raises(cfg.ConfigError, match="reading rules are edited in the file itself"):
        cfg.set_value(path, "rules.cause", "x")
    data = tomllib.loads(path.read_text())
    assert data["keymap"] == {"mark_read": "m,r"}
    assert data["mark_read_on_open"] is False
    assert data["ahr_bands"]["healthy"] == 250
    c = cfg.load(path)
    assert c.keymap == {"mark_read": "m,r"} and c.mark_read_on_open is False
    with pytest.raises(cfg.ConfigError, match="expected a whole number"):
        cfg.set_value(path, "ahr_bands.at_risk", "lots")
    with pytest.raises(cfg.ConfigError, match="unknown setting"):
        cfg.set_value(path, "colour", "red")
    assert tomllib.loads(path.read_text())["ahr_bands"]["at_risk"] == 100


def test_config_rules_extend_the_shipped_ones(tmp_path):
    write(tmp_path / "xdg-config" / "flagdesk" / "config.toml",
          "[[rules.cause]]\nid = 'vat'\nlabel = 'VAT'\nanchors = ['vat']\npatterns = ['\\bvat number']\n")
    rules = cfg.load().rules()
    assert rules.cause("vat").label == "VAT"
    # Added to the shipped causes, before the generic ones; the fates are the shipped ones.
    ids = [r.id for r in rules.causes]
    assert "ip_complaint" in ids and ids.index("vat") < ids.index("other_policy")
    assert [r.id for r in rules.fates][0] == "account_deactivated"


def test_retired_settings_load_and_are_named(tmp_path, run):
    """[severity] and [[categories]] (written by `config init` before the reading rules) load, do nothing,
    and say so: on stderr of every command and in `config show`."""
    path = write(tmp_path / "xdg-config" / "flagdesk" / "config.toml",
                 "[severity]\ncritical = ['deactivated']\n[[categories]]\nid = 'vat'\nkeywords = ['vat']\n")
    c = cfg.load()
    assert c.retired() == [f"{path}: severity: severity comes from the reading rules now ([[rules.fate]] in the "
                           "config; see README)",
                           f"{path}: categories: categories are the reading rules now ([[rules.fate]], "
                           "[[rules.cause]]; see README)"]
    code, out, err = run("config", "show")
    assert code == 0 and f"# not read any more: {path}: severity:" in out
    assert err.count("flagdesk: warning: ") == 2 and f"{path}: categories:" in err


@pytest.mark.real_os_user
def test_the_os_user_comes_from_the_uid_not_from_logname_or_user(monkeypatch):
    import os
    import pwd

    monkeypatch.setenv("LOGNAME", "maria")
    monkeypatch.setenv("USER", "maria")
    monkeypatch.delenv("FLAGDESK_OPERATOR", raising=False)
    assert cfg.os_user() == pwd.getpwuid(os.getuid()).pw_name != "maria"
    assert cfg.load().operator == cfg.os_user()
