"""Channel adapters: how a piece reaches a channel.

Each adapter knows its channel's text limit, which credentials it needs, and how to send.
The outbound ones speak HTTP to the channel's configured endpoint (the network's API by
default), which is also how they are tested: against a local server that records what it
receives. Every request carries the publication's key as `Idempotency-Key`, so a receiver
that honours it (webhooks, proxies) drops a resend after a lost answer.

An adapter answers with a Result, or raises TemporaryFailure (timeouts, 5xx, 429: the task
retries with backoff) or PermanentFailure (bad credentials, a refused text: a person must act).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import requests
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.communications.models import ChannelKind

TIMEOUT_SECONDS = 10.0
MAX_RETRY_AFTER = 3600


@dataclass(frozen=True)
class Outgoing:
    key: str  # the publication's idempotency key
    title: str
    text: str
    link: str = ""  # the piece on the municipality's news page, when it is there
    video_url: str = ""
    image_urls: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    external_id: str
    url: str


class TemporaryFailure(Exception):
    """Worth trying again later. `maybe_sent`: the request reached the channel (it timed out
    waiting for the answer, or the channel failed after reading it), so it may have been
    published; a channel that ignores idempotency keys must not be retried blindly."""

    def __init__(self, reason: str, retry_after: float | None = None, *, maybe_sent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.maybe_sent = maybe_sent


class PermanentFailure(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CredentialField:
    name: str
    label: Any  # lazy translation


class Adapter:
    kind: ClassVar[str]
    limit: ClassVar[int | None] = None  # characters of text the channel accepts
    # Whether the receiver honours Idempotency-Key (ours, webhooks by contract): then an
    # unclear outcome is retried with the same key; otherwise a person checks first.
    idempotent: ClassVar[bool] = True
    needs_account: ClassVar[bool] = False
    needs_endpoint: ClassVar[bool] = False
    default_endpoint: ClassVar[str] = ""
    credential_fields: ClassVar[tuple[CredentialField, ...]] = ()

    def publish(self, *, endpoint: str, account: str, credentials: dict[str, str], item: Outgoing) -> Result:
        raise NotImplementedError

    def length(self, text: str) -> int:
        """The text's length as the channel counts it against its limit."""
        return len(text)

    # Shared by the HTTP adapters: one request, its failures sorted into the two kinds.
    def _post(self, url: str, *, key: str, **kwargs: Any) -> requests.Response:
        headers = {"Idempotency-Key": key, "User-Agent": "SIGOBito-Comunidad/1.0", **kwargs.pop("headers", {})}
        try:
            response = requests.post(url, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False, **kwargs)
        except requests.ConnectTimeout as exc:  # a Timeout too, but nothing was sent yet
            raise TemporaryFailure(_("No se pudo conectar con el canal: %(e)s") % {"e": type(exc).__name__}) from exc
        except requests.Timeout as exc:
            raise TemporaryFailure(
                _("El canal no respondió en %(s)s segundos.") % {"s": f"{TIMEOUT_SECONDS:g}"}, maybe_sent=True
            ) from exc
        except requests.RequestException as exc:
            # Refused or unreachable before the request went out (ConnectionError), or another
            # failure of the request itself.
            raise TemporaryFailure(_("No se pudo conectar con el canal: %(e)s") % {"e": type(exc).__name__}) from exc
        status = response.status_code
        if status == 429:
            raise TemporaryFailure(
                _("El canal pidió esperar antes de volver a publicar (429)."), retry_after=_retry_after(response)
            )
        if status >= 500:
            raise TemporaryFailure(
                _("El canal respondió con un error propio (%(status)s).") % {"status": status}, maybe_sent=True
            )
        if status in (401, 403):
            raise PermanentFailure(
                _("El canal rechazó las credenciales (%(status)s). Revíselas en la configuración del canal.")
                % {"status": status}
            )
        if not 200 <= status < 300:
            raise PermanentFailure(
                _("El canal rechazó la publicación (%(status)s): %(detail)s")
                % {"status": status, "detail": _error_detail(response)}
            )
        return response


def _retry_after(response: requests.Response) -> float | None:
    try:
        return min(float(response.headers.get("Retry-After", "")), MAX_RETRY_AFTER)
    except ValueError:
        return None


def _error_detail(response: requests.Response) -> str:
    """The error message of a JSON answer (Graph API `error.message`, X `detail`/`title`),
    never the raw body: an endpoint's page could carry anything."""
    body = _json(response)
    error = body.get("error")
    found = (error.get("message") if isinstance(error, dict) else error) or body.get("detail") or body.get("title")
    return str(found)[:200] if found else _("sin detalle")


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class WebAdapter(Adapter):
    """The municipality's own public news page: publishing makes the piece appear there and
    in its feeds; there is nothing to send."""

    kind = ChannelKind.WEB

    def publish(self, *, endpoint: str, account: str, credentials: dict[str, str], item: Outgoing) -> Result:
        return Result(external_id=item.key, url=item.link)


class FacebookAdapter(Adapter):
    """A Facebook page through the Graph API: POST /{page-id}/feed with a page access token."""

    kind = ChannelKind.FACEBOOK
    limit = 63206
    idempotent = False
    needs_account = True
    default_endpoint = "https://graph.facebook.com/v21.0"
    credential_fields = (CredentialField("page_access_token", gettext_lazy("token de acceso de la página")),)

    def publish(self, *, endpoint: str, account: str, credentials: dict[str, str], item: Outgoing) -> Result:
        data = {"message": item.text, "access_token": credentials["page_access_token"]}
        if item.link:
            data["link"] = item.link
        response = self._post(f"{endpoint.rstrip('/')}/{account}/feed", key=item.key, data=data)
        post_id = str(_json(response).get("id", ""))
        if not post_id:
            raise PermanentFailure(_("El canal respondió sin el identificador de la publicación."))
        return Result(external_id=post_id, url=f"https://www.facebook.com/{post_id}")


class XAdapter(Adapter):
    """X (Twitter) API v2: POST /2/tweets with the account's OAuth 2.0 user token."""

    kind = ChannelKind.X
    limit = 280
    idempotent = False
    needs_account = True
    default_endpoint = "https://api.x.com"
    credential_fields = (CredentialField("access_token", gettext_lazy("token de acceso (OAuth 2.0)")),)

    def publish(self, *, endpoint: str, account: str, credentials: dict[str, str], item: Outgoing) -> Result:
        response = self._post(
            f"{endpoint.rstrip('/')}/2/tweets",
            key=item.key,
            json={"text": item.text},
            headers={"Authorization": f"Bearer {credentials['access_token']}"},
        )
        data = _json(response).get("data")
        post_id = str(data.get("id", "")) if isinstance(data, dict) else ""
        if not post_id:
            raise PermanentFailure(_("El canal respondió sin el identificador de la publicación."))
        return Result(external_id=post_id, url=f"https://x.com/{account.lstrip('@')}/status/{post_id}")

    def length(self, text: str) -> int:
        """X's weighted count (twitter-text v3): a link counts 23, a character of the
        Latin, punctuation and common symbol ranges counts 1, any other (CJK, emoji) 2."""
        total, last = 0, 0
        for match in URL_RE.finditer(text):
            total += _weighted(text[last : match.start()]) + 23
            last = match.end()
        return total + _weighted(text[last:])


class WebhookAdapter(Adapter):
    """Any service that takes a signed JSON POST: the body is signed with HMAC-SHA256 of the
    shared secret in `X-Sigobito-Signature`. The answer may carry `id` and `url`."""

    kind = ChannelKind.WEBHOOK
    needs_endpoint = True
    credential_fields = (CredentialField("secret", gettext_lazy("secreto compartido para firmar")),)

    def publish(self, *, endpoint: str, account: str, credentials: dict[str, str], item: Outgoing) -> Result:
        body = json.dumps(
            {
                "key": item.key,
                "title": item.title,
                "text": item.text,
                "link": item.link,
                "video_url": item.video_url,
                "images": item.image_urls,
            },
            ensure_ascii=False,
        ).encode()
        signature = hmac.new(credentials["secret"].encode(), body, hashlib.sha256).hexdigest()
        response = self._post(
            endpoint,
            key=item.key,
            data=body,
            headers={"Content-Type": "application/json", "X-Sigobito-Signature": f"sha256={signature}"},
        )
        answer = _json(response)
        url = str(answer.get("url", ""))
        return Result(external_id=str(answer.get("id", "") or item.key), url=url if url.startswith("http") else "")


URL_RE = re.compile(r"https?://\S+", re.IGNORECASE)
LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def _weighted(text: str) -> int:
    return sum(1 if any(lo <= ord(c) <= hi for lo, hi in LIGHT_RANGES) else 2 for c in text)


ADAPTERS: dict[str, Adapter] = {a.kind: a for a in (WebAdapter(), FacebookAdapter(), XAdapter(), WebhookAdapter())}


def adapter_for(kind: str) -> Adapter:
    return ADAPTERS[kind]


def text_length(kind: str, text: str) -> int:
    return adapter_for(kind).length(text)
