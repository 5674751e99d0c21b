"""AcmeFlow: the learner's CSR through a real ACME CA (pebble), drawn live as a state machine.

Thin: the core (:mod:`certlab.acme`) runs the order and records it; this
widget draws :func:`certlab.render.acme_html.flow_states` as one button per
step (click one to see its requests and answers, decoded), shows what the CA
changed between the CSR and the certificate with :class:`Compare`, and hands
the chain to notebook 05's TLS server (:func:`certlab.tls.serve_https`).

Keys never reach the browser: the certificate's private key and the account
key stay Python attributes; every synced trait holds public data (the CSR,
the certificates, the JWS, whose header carries the account's *public* key).
The pebble it starts is stopped by :meth:`AcmeFlow.close` (and, like every
pebble, when the kernel ends).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
from cryptography import x509

from ..errors import CertlabError

__all__ = ["AcmeFlow"]

_KINDS = ("http-01", "dns-01", "tls-alpn-01")
_STYLE = {"done": "success", "failed": "danger", "waiting": ""}


def _csr_and_key(source: Any, key: Any) -> tuple[x509.CertificateSigningRequest, Any]:
    """A CertificateLab (its CSR and key) or a CSR (+ optional key) -> (csr, key)."""
    if isinstance(source, x509.CertificateSigningRequest):
        return source, key
    csr = getattr(source, "csr", None)
    result = getattr(source, "result", None)
    if csr is None and isinstance(result, x509.CertificateSigningRequest):
        csr = result
    if isinstance(csr, x509.CertificateSigningRequest):
        return csr, key if key is not None else getattr(source, "key", None)
    raise CertlabError("csr", "AcmeFlow takes a CSR or a CertificateLab that has built one",
                       type(source).__name__)


class AcmeFlow(w.VBox):
    """``AcmeFlow(lab_or_csr, key=None, pebble=None, kind="http-01")``; press *Run the order*.

    ``session`` is the :class:`~certlab.acme.AcmeSession` of the last run,
    ``issued`` its :class:`~certlab.acme.Issued` (or ``None``), ``problem`` the
    :class:`~certlab.acme.AcmeProblem` that stopped it (or ``None``).
    """

    def __init__(self, source: Any, *, key: Any = None, pebble: Any = None, kind: str = "http-01",
                 run: bool = False) -> None:
        self._own_pebble = pebble is None
        self._pebble = pebble
        self._csr, self._key = _csr_and_key(source, key)  # before any widget exists: a bad input leaves none
        super().__init__()
        self._source = source
        self.session: Any = None
        self.issued: Any = None
        self.problem: Any = None
        self._nodes: tuple[Any, ...] = ()
        self._selected: int | None = None
        self.kind = w.Dropdown(options=_KINDS, value=kind, description="challenge")
        self.kind.add_class("certlab-acme-kind")
        self.run_button = w.Button(description="Run the order", button_style="primary", icon="play")
        self.run_button.add_class("certlab-acme-run")
        self.compare_button = w.Button(description="What changed?", disabled=True, tooltip="What did the CA change? (Compare)")
        self.compare_button.add_class("certlab-acme-compare")
        self.serve_button = w.Button(description="Serve over HTTPS", disabled=True, tooltip="Notebook 05's TLS server with this chain")
        self.serve_button.add_class("certlab-acme-serve")
        self.status = w.HTML(value=self._intro())
        self.status.add_class("certlab-acme-status")
        self.steps = w.Box(layout=w.Layout(flex_flow="row wrap"))
        self.steps.add_class("certlab-acme-steps")
        self.detail = w.HTML(value="")
        self.detail.add_class("certlab-acme-detail")
        self.extra = w.VBox()
        self.run_button.on_click(lambda _b: self.run())
        self.compare_button.on_click(lambda _b: self.show_compare())
        self.serve_button.on_click(lambda _b: self.serve())
        self.children = [
            w.HTML(value="<b>certlab ACME flow</b> · your CSR through Let's Encrypt's test CA (pebble, RFC 8555)"),
            w.HBox([self.kind, self.run_button, self.compare_button, self.serve_button]),
            self.status, self.steps, self.detail, self.extra,
        ]
        self.add_class("certlab-acme-flow")
        self._draw()
        if run:
            self.run()

    # --- what the buttons do

    def _intro(self) -> str:
        names = ", ".join(self._names()) or "(no names)"
        return (f"<p>The order will ask for <code>{html.escape(names)}</code>. Each step below turns green "
                "when the CA accepted it; click one to see the request and the answer.</p>")

    def _names(self) -> list[str]:
        try:
            sans = self._csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            return [str(n) for n in sans.get_values_for_type(x509.DNSName)]
        except x509.ExtensionNotFound:
            return []

    def _ensure_pebble(self) -> Any:
        from ..acme import Pebble

        if self._pebble is None or not self._pebble.running:
            self._pebble = Pebble.start()
            self._own_pebble = True
        return self._pebble

    def run(self) -> None:
        """Run the whole order, redrawing after every step (the state machine fills in live)."""
        from ..acme import AcmeSession

        self.issued = self.problem = None
        self.compare_button.disabled = self.serve_button.disabled = True
        self.extra.children = ()
        try:
            pebble = self._ensure_pebble()
            session = self.session = AcmeSession(pebble)
            session.register()
            self._draw()
            session.new_order(self._csr)
            self._draw()
            for challenge in session.challenges(str(self.kind.value)):
                session.publish(challenge)
                session.ready(challenge)
                self._draw()
            session.wait()
            self._draw()
            self.issued = session.finalize()
        except CertlabError as exc:
            self.problem = exc
            self._draw(failed=True)
            body = exc._repr_html_() if hasattr(exc, "_repr_html_") else f"<p><b>✘</b> {html.escape(str(exc))}</p>"
            self.status.value = body
            return
        self._draw()
        self.compare_button.disabled = False
        self.serve_button.disabled = self._key is None
        chain = " ← ".join(c.subject.rfc4514_string() for c in (self.issued.certificate, *self.issued.chain))
        self.status.value = (f'<p><b style="color:var(--jp-success-color1,#2e7d32)">✔ issued</b>: '
                             f"<code>{html.escape(chain)}</code> ← pebble's root "
                             f"<code>{html.escape(self.issued.root.subject.rfc4514_string())}</code></p>")

    def select(self, index: int) -> None:
        """Show step ``index``: its explanation and its requests and answers, decoded."""
        from ..knowledge.acme import step_text
        from ..render.acme_html import exchange_html

        self._selected = index
        node = self._nodes[index]
        label, section, text = step_text(node.key)
        parts = [f"<p><b>{html.escape(node.title)}</b> — {html.escape(text)} <i>(RFC 8555 {html.escape(section)})"
                 "</i></p>"]
        if node.note:
            parts.append(f"<p><b>the CA said:</b> {html.escape(node.note)}</p>")
        if self.session is not None:
            if node.key == "validation" and self._pebble is not None:
                from ..render.acme_html import fetches_html

                parts.append("<p>Where the CA's validator came to look (our responder's log):</p>"
                             + fetches_html(self._pebble.http01.fetches))
            for i in node.exchanges:
                parts.append(exchange_html(self.session.exchanges[i]))
        if not node.exchanges and node.key != "validation":
            parts.append("<p><i>No request of its own: the state changed on the CA's side.</i></p>")
        self.detail.value = "".join(parts)
        self._restyle()

    def show_compare(self) -> None:
        """The CSR next to the certificate (notebook 05's Compare): what the CA dropped and added."""
        from .compare import Compare

        if self.issued is None:
            return
        self.extra.children = (Compare(self._csr, self.issued.certificate, labels=("your CSR", "issued by pebble")),)

    def serve(self) -> None:
        """Notebook 05's TLS server with the issued chain; a client trusting only pebble's root connects."""
        from ..tls import fetch, serve_https

        if self.issued is None or self._key is None:
            return
        names = self._names()
        with serve_https(self.issued.certificate, self._key, chain=self.issued.chain, lifetime=30) as server:
            answer = fetch(server.url, trust=[self.issued.root], server_hostname=names[0] if names else None)
        self.fetch_result = answer
        self.extra.children = (w.HTML(value=answer._repr_html_()),)

    def close(self) -> None:
        """Close the widget and stop the pebble it started."""
        if getattr(self, "_own_pebble", False) and getattr(self, "_pebble", None) is not None:
            self._pebble.stop()
        for box in (getattr(self, "extra", None), getattr(self, "steps", None)):
            for c in getattr(box, "children", ()):
                c.close()
        super().close()

    # --- drawing

    def _draw(self, failed: bool = False) -> None:
        from ..render.acme_html import flow_states

        exchanges = self.session.exchanges if self.session is not None else []
        self._nodes = flow_states(exchanges, failed=failed)
        buttons = list(self.steps.children)
        if len(buttons) != len(self._nodes):
            for b in buttons:
                b.close()
            buttons = []
            for i in range(len(self._nodes)):
                b = w.Button(layout=w.Layout(width="auto"))
                b.add_class("certlab-acme-step")
                b.on_click(lambda _b, i=i: self.select(i))
                buttons.append(b)
            self.steps.children = tuple(buttons)
        self._restyle()

    def _restyle(self) -> None:
        for i, (b, node) in enumerate(zip(self.steps.children, self._nodes)):
            mark = {"done": "✔", "failed": "✘", "waiting": "…"}[node.state]
            b.description = f"{mark} {node.title}"
            b.tooltip = node.note or node.title
            b.button_style = "info" if i == self._selected else _STYLE[node.state]
