"""An SQS queue of Selling Partner API notifications, read with boto3 (an optional extra: `pip install
'flagdesk[live]'`), its credentials from the standard AWS chain (environment, ~/.aws, an instance role).

Only `flagdesk fetch` and `sources check` import this module (and so boto3): never the console or `status`.
Every failure is a SourceError of one line naming the source.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.core.sources import SourceError
from console.core.textsafe import one_line


@dataclass
class Message:
    message_id: str
    receipt: str
    body: str


class Queue:
    """One source's queue: receive (long polling), delete, count."""

    def __init__(self, source: dict):
        self.source = source
        self.name = source["name"]
        try:
            import boto3
            import botocore.config
            import botocore.exceptions
        except ImportError:
            raise SourceError(f"source {self.name}: an sqs source needs boto3: pip install 'flagdesk[live]'") from None
        self._errors = (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError, OSError, ValueError)
        timeout = float(source["timeout"])
        config = botocore.config.Config(
            region_name=source["region"], connect_timeout=min(timeout, 10),
            # A long poll waits up to wait_seconds for its answer: the read timeout leaves room for it.
            read_timeout=timeout + source["wait_seconds"], retries={"max_attempts": 2, "mode": "standard"})
        try:
            session = boto3.Session(profile_name=source.get("profile"))
            self.client = session.client("sqs", endpoint_url=source.get("endpoint_url"), config=config)
        except self._errors as exc:
            raise self.fail("cannot make an SQS client", exc) from None

    def fail(self, what: str, exc: BaseException | str) -> SourceError:
        return SourceError(f"source {self.name}: {what}: {one_line(str(exc), 300)}")

    def receive(self, wait: int) -> list[Message]:
        """Up to 10 messages, waiting up to `wait` seconds for the first (0: answer at once)."""
        try:
            answer = self.client.receive_message(QueueUrl=self.source["queue_url"], MaxNumberOfMessages=10,
                                                 WaitTimeSeconds=wait)
        except self._errors as exc:
            raise self.fail(f"cannot receive from {self.source['queue_url']}", exc) from None
        return [Message(m.get("MessageId", ""), m.get("ReceiptHandle", ""), m.get("Body", ""))
                for m in answer.get("Messages", [])]

    def delete(self, messages: list[Message]) -> None:
        """Delete messages whose import committed; SourceError if some could not be (they come again after
        their visibility timeout, and the de-duplication counts them as duplicates)."""
        for start in range(0, len(messages), 10):
            chunk = messages[start:start + 10]
            try:
                answer = self.client.delete_message_batch(
                    QueueUrl=self.source["queue_url"],
                    Entries=[{"Id": str(i), "ReceiptHandle": m.receipt} for i, m in enumerate(chunk)])
            except self._errors as exc:
                raise self.fail(f"{len(messages) - start} imported messages not deleted from the queue (they come "
                                "again and are counted as duplicates)", exc) from None
            failed = answer.get("Failed") or []
            if failed:
                raise self.fail(f"{len(failed)} imported messages not deleted from the queue (they come again "
                                "and are counted as duplicates)", failed[0].get("Message") or failed[0].get("Code"))

    def waiting(self) -> tuple[int, int]:
        """(messages waiting, messages in flight)."""
        try:
            attrs = self.client.get_queue_attributes(
                QueueUrl=self.source["queue_url"],
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        except self._errors as exc:
            raise self.fail(f"cannot read {self.source['queue_url']}", exc) from None
        return int(attrs.get("ApproximateNumberOfMessages", 0)), int(attrs.get("ApproximateNumberOfMessagesNotVisible", 0))

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - nothing left to close
            pass
