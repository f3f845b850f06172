"""An `sqs` source against moto in server mode: a real SQS endpoint on a free localhost port, started and
stopped by these tests (boto3 talks HTTP to it as it would to AWS)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

from tests.test_sources import DroppingProxy  # noqa: E402

DATA = Path(__file__).parent / "data" / "spapi"


@pytest.fixture(scope="module")
def endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield port
    server.stop()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch, tmp_path):
    """The standard AWS chain, from the environment alone (never the tester's ~/.aws)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-metadata probe off this machine


def client(port: int):
    import boto3

    return boto3.client("sqs", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}")


@pytest.fixture
def queue(endpoint, request):
    """A fresh queue (a short visibility timeout: what is not deleted comes again within a second): its URL."""
    name = "q-" + "".join(c for c in request.node.name if c.isalnum())[:60]
    url = client(endpoint).create_queue(QueueName=name, Attributes={"VisibilityTimeout": "1"})["QueueUrl"]
    yield url
    client(endpoint).delete_queue(QueueUrl=url)


@pytest.fixture
def source(tmp_path, desk):
    """write(port, queue_url) -> the command line's --config/--db for one sqs source filing into Northwind."""
    desk.add_account("Northwind", ["US", "DE"], ["notices+northwind@ops.example.com"])
    cfg = tmp_path / "config.toml"

    def write(port, url):
        table = {"name": "spapi", "kind": "sqs", "queue_url": url, "region": "us-east-1",
                 "endpoint_url": f"http://127.0.0.1:{port}", "account": "Northwind", "timeout": 5}
        cfg.write_text("[[sources]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items()))
        return ["--config", str(cfg), "--db", str(tmp_path / "flagdesk.db")]

    return write


def send(port, url, *bodies: str) -> None:
    for body in bodies:
        client(port).send_message(QueueUrl=url, MessageBody=body)


def left(port, url) -> int:
    attrs = client(port).get_queue_attributes(QueueUrl=url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])


def statuses(desk) -> list[tuple[str, str]]:
    return [tuple(r) for r in desk.store.conn.execute(
        "SELECT previous, current FROM account_status_history ORDER BY current, previous").fetchall()]


def bodies() -> list[str]:
    """One notification in lowerCamelCase, one in PascalCase, one inside an SNS envelope."""
    return [(DATA / n).read_text() for n in ("status_camel.json", "status_pascal.json", "sns_envelope.json")]


def test_both_casings_and_an_sns_envelope_are_imported_then_deleted(endpoint, queue, source, desk, run):
    argv = source(endpoint, queue)
    send(endpoint, queue, *bodies())
    code, out, err = run("sources", "check", *argv)
    assert code == 0 and "connected, 3 messages waiting" in out
    code, out, err = run("fetch", *argv)
    assert code == 0, err
    assert "spapi: imported 3, duplicates 0, skipped 0, failed 0" in out
    assert "SNS" in out and "raw 2" in out  # the envelopes line
    assert sorted(statuses(desk)) == [("AT_RISK", "DEACTIVATED"), ("NORMAL", "AT_RISK"), ("NORMAL", "AT_RISK")]
    assert left(endpoint, queue) == 0  # deleted once imported
    code, out, _ = run("fetch", *argv)
    assert code == 0 and "spapi: imported 0, duplicates 0" in out


def test_a_crash_between_import_and_delete_redelivers_and_imports_once(endpoint, queue, source, desk, run):
    send(endpoint, queue, *bodies()[:2])
    proxy = DroppingProxy(endpoint, drop_at=1, pattern=b"DeleteMessage")
    try:
        argv = source(proxy.port, queue)
        code, out, err = run("fetch", *argv)
        assert code == 1 and "imported messages not deleted from the queue" in err
        assert len(statuses(desk)) == 2  # the import committed; the delete did not reach the queue
        assert left(endpoint, queue) == 2
        proxy.drop_at = None
        import time

        time.sleep(1.2)  # the visibility timeout: the messages come again
        code, out, err = run("fetch", *argv)
        assert code == 0, err
        assert "spapi: imported 0, duplicates 2" in out and len(statuses(desk)) == 2  # imported once
        assert left(endpoint, queue) == 0
    finally:
        proxy.close()


def test_a_poison_message_is_kept_aside_with_its_reason_and_the_rest_imported(endpoint, queue, source, desk, run):
    argv = source(endpoint, queue)
    send(endpoint, queue, bodies()[0], "this is not JSON {", bodies()[1])
    code, out, err = run("fetch", *argv)
    assert "spapi: imported 2" in out and "failed 1" in out
    assert "kept aside (flagdesk sources kept): not valid JSON" in err
    assert left(endpoint, queue) == 0  # the poison message is not redelivered forever
    code, out, _ = run("sources", "kept", *argv)
    [line] = out.strip().splitlines()
    assert " spapi  message " in line and "not valid JSON" in line
    code, out, _ = run("sources", "kept", "--json", *argv)
    [item] = json.loads(out)
    assert item["body"] == "this is not JSON {"
    code, out, _ = run("sources", "list", *argv)
    assert "1 kept aside (flagdesk sources kept)" in out
    code, out, _ = run("fetch", *argv)  # nothing comes again
    assert code == 0 and "spapi: imported 0, duplicates 0, skipped 0, failed 0" in out


def test_a_missing_queue_or_missing_credentials_is_one_clear_line(endpoint, source, desk, run, monkeypatch):
    argv = source(endpoint, f"http://127.0.0.1:{endpoint}/123456789012/no-such-queue")
    code, out, err = run("fetch", *argv)
    [line] = err.strip().splitlines()
    assert code == 1 and line.startswith("flagdesk: error: source spapi: cannot receive from http://127.0.0.1:")
    assert "NonExistentQueue" in line or "does not exist" in line
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, out, err = run("sources", "check", *argv)
    [line] = err.strip().splitlines()
    assert code == 1 and "source spapi: cannot read" in line and "credentials" in line.lower()
    code, out, _ = run("sources", "list", *argv)
    assert "error: source spapi: cannot receive" in out


def test_a_fetch_ends_even_when_the_queue_keeps_filling(endpoint, queue, source, desk, run, monkeypatch):
    """A one-shot fetch takes at most SQS_BATCHES receives (here 1: ten messages), the rest the next time."""
    from console.ingest import fetch

    monkeypatch.setattr(fetch, "SQS_BATCHES", 1)
    template = json.loads(bodies()[0])
    for n in range(15):
        template["notificationMetadata"]["notificationId"] = f"fill-{n}"
        send(endpoint, queue, json.dumps(template))
    argv = source(endpoint, queue)
    code, out, _ = run("fetch", *argv)
    assert code == 0 and "spapi: imported 10," in out
    code, out, _ = run("fetch", *argv)
    assert code == 0 and "spapi: imported 5," in out and left(endpoint, queue) == 0
