"""The ``certlab`` command (also ``python -m certlab``).

``certlab inspect [--json|--text|--html] [--reveal] [--passphrase PASS | --passphrase-file FILE]
[--chain [--host NAME] [--max-depth N]] FILE...``
reads PEM (any number of blocks), DER or base64 (``-`` is stdin) and shows every
object's decoded fields, findings and named, explained ASN.1 tree.  A private
key's secret values are hidden (sizes and public parts shown) unless ``--reveal``:
a report is often pasted where a key must not go.  ``certlab lab`` opens the notebooks (:mod:`certlab.launcher`).

Exit status: 0 when everything parsed, 1 when some input was malformed (the
output is still printed, with its errors), 2 for usage errors (no such file,
unknown option).  A certlab limit reached (nodes, nesting) is not malformed
input: the tree is shown up to there, the JSON lists it under ``limits``, and
the status stays 0.  No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from typing import Any, Sequence

from .errors import CertlabError
from .explorer import Explored, explore

__all__ = ["main"]

# Traditional PEM encryption (RFC 1421 headers) leaves ciphertext, not DER.
_LEGACY_KEY_LABELS = frozenset({"RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY"})
# kinds certlab.fields can describe (and certlab.findings can lint)
_DESCRIBED_KINDS = frozenset({"certificate", "csr", "crl", "public-key", "private-key"})


@dataclass(frozen=True)
class _Report:
    """Everything ``inspect`` shows of one loaded object, computed once."""

    loaded: Any
    explored: Explored | None
    description: Any  # certlab.fields.Description | None
    findings: tuple[Any, ...]  # certlab.findings.Finding

    @property
    def malformed(self) -> bool:
        """Exit status 1: bytes certlab could not read, or that cryptography refused."""
        return bool(self.errors) or bool(self.loaded.refusal)

    @property
    def errors(self) -> list[dict[str, Any]]:
        # a certlab limit reached is not malformed input: it is a note, "shown up to here"
        errors = [{"offset": e.offset, "message": e.message}
                  for e in self.explored.errors if not e.limit] if self.explored else []
        # unreadable: bytes of no known kind, or a PEM block whose base64 gave no bytes at all
        unreadable = self.loaded.kind == "unknown" or not self.loaded.der
        if unreadable and self.loaded.error and not errors:
            errors.append({"offset": 0, "message": self.loaded.error})
        return errors

    @property
    def limits(self) -> list[dict[str, Any]]:
        """Where a certlab limit stopped the reading (the tree is shown up to there)."""
        return [{"offset": e.offset, "message": e.message}
                for e in self.explored.errors if e.limit] if self.explored else []


def _explore(loaded: Any, reveal: bool) -> Explored | None:
    if not loaded.der or (loaded.encrypted and loaded.label in _LEGACY_KEY_LABELS):
        return None
    kind = loaded.kind if loaded.kind not in ("unknown", "pkcs7") else None
    explored = explore(loaded.der, kind, reveal=reveal)
    if explored.root_name is None and kind not in (None, "private-key", "pkcs12"):
        # label and shape disagree: trust the bytes.  Not for a key or a PKCS#12
        # bundle: they stay what they are, so the explorer hides their values.
        explored = explore(loaded.der, None, reveal=reveal)
    return explored


def _report(loaded: Any, reveal: bool = False) -> _Report:
    from .fields import describe
    from .findings import find

    description: Any = None
    findings: tuple[Any, ...] = ()
    explored = _explore(loaded, reveal)
    if loaded.obj is not None and loaded.kind in _DESCRIBED_KINDS:
        try:
            # private values only with --reveal: a report may be pasted anywhere; the fields
            # are explained from the same tree the ASN.1 view shows
            description = describe(loaded.obj, reveal=reveal, explored=explored)
            findings = tuple(find(loaded.obj))
        except CertlabError:
            # a key type the field model does not know yet (ML-DSA): the tree still shows it
            description, findings = None, ()
    if loaded.obj is None and loaded.refusal:
        # cryptography refused it: the kind came from the structure, the refusal is
        # a finding on the node it names (certlab.findings.refusal)
        from .findings.refusal import refusal_finding

        findings = (refusal_finding(loaded.kind, loaded.refusal, explored),)
    if description is None and explored is not None:
        # OCSP, CMS, PKCS#12, TSP, CMP: the fields come from the named tree
        from .fields_pki import describe_tree

        description = describe_tree(explored)
    return _Report(loaded, explored, description, findings)


def _bytes_shown(loaded: Any, reveal: bool) -> tuple[str | None, str | None]:
    """The object's DER (base64) and PEM for ``--json``, or (None, None) when they hold secrets.

    A private key or a PKCS#12 bundle (which may carry keys in the clear) is given
    only with ``--reveal``, like its secret values; a legacy-encrypted PEM key has
    no DER of its own (its bytes are ciphertext), so its PEM block is the input's.
    """
    import base64

    from .load import PEM_LABELS, pem_armor

    if not loaded.der or (loaded.kind in ("private-key", "pkcs12") and not reveal):
        return None, None
    if loaded.encrypted and loaded.label in _LEGACY_KEY_LABELS:
        return None, None
    label = loaded.label or PEM_LABELS.get(loaded.kind)
    return base64.b64encode(loaded.der).decode("ascii"), pem_armor(loaded.der, label) if label else None


def _record(report: _Report, reveal: bool = False) -> dict[str, Any]:
    """The JSON record of one loaded object."""
    loaded, explored = report.loaded, report.explored
    der, pem = _bytes_shown(loaded, reveal)
    return {
        "source": loaded.source,
        "kind": loaded.kind,
        "der_length": len(loaded.der),
        "der": der,
        "pem": pem,
        "tree": explored.to_json() if explored else None,
        "errors": report.errors,
        "limits": report.limits,
        "note": loaded.error if loaded.kind != "unknown" else None,
        "fields": report.description.to_json() if report.description else [],
        "findings": [f.to_json() for f in report.findings],
    }


def _text(report: _Report, *, explain: bool = False, width: int | None = None) -> str:
    """The plain-text report of one loaded object: fields and findings, then the tree."""
    return "".join(_text_parts(report, explain=explain, width=width))


def _text_parts(report: _Report, *, explain: bool = False, width: int | None = None) -> list[str]:
    """:func:`_text` in pieces, each ending with one newline, written one by one: the tree text
    of a 100,000-entry CRL is 50 MB, and stripping, joining and appending to it copied it
    three times."""
    from .render.asn1_text import explorer_text
    from .render.fields_text import fields_text, findings_text

    loaded = report.loaded
    head = f"== {loaded.source}: {loaded.kind}, {len(loaded.der)} bytes"
    if loaded.label:
        head += f" (PEM {loaded.label})"
    parts = [head + "\n"]
    if loaded.error:
        parts.append(f"note: {loaded.error}\n")
    if report.description is not None:
        parts.append(_one_newline(fields_text(report.description, report.findings)))
    elif report.findings:
        parts.append(_one_newline("Findings:\n" + findings_text(report.findings)))
    if report.explored is not None:
        parts.append("-- ASN.1 --\n")
        parts.append(_one_newline(explorer_text(report.explored, explain=explain, width=width)))
    elif loaded.kind == "unknown" and loaded.error:
        parts.append(f"error at offset 0: {loaded.error}\n")
    return parts


def _one_newline(text: str) -> str:
    # the text with exactly one newline at its end (copied only when it has not)
    return text if text.endswith("\n") and not text.endswith("\n\n") else text.rstrip("\n") + "\n"


def _html(reports: list[_Report]) -> str:
    from html import escape

    from .render import style
    from .render.asn1_html import explorer_fragment
    from .render.fields_html import fields_html, findings_html

    body = []
    for report in reports:
        loaded = report.loaded
        inner = fields_html(report.description, report.findings, lists="expandable") if report.description else (
            findings_html(report.findings) if report.findings else "")
        if report.explored:
            inner += explorer_fragment(report.explored, lists="expandable")
        else:
            inner += f"<p>{escape(loaded.error or 'nothing to show')}</p>"
        # fields and tree share one .certlab-view: selecting a field selects its bytes
        body.append(style.view(inner, title=f"{loaded.source}: {loaded.kind}"))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>certlab inspect</title>'
            f"</head><body>{''.join(body)}</body></html>\n")


def _chain(objects: list[Any], host: str | None, as_json: bool, max_depth: int | None = None) -> int:
    """``--chain``: the first certificate is the leaf, the others intermediates or roots."""
    from .chain import verify_chain
    from .render.fields_text import chain_text

    certs = [o.obj for o in objects if o.kind == "certificate" and o.obj is not None]
    if not certs:
        print("certlab inspect --chain: no certificate in the input", file=sys.stderr)
        return 2
    roots = [c for c in certs[1:] if c.issuer == c.subject]
    intermediates = [c for c in certs[1:] if c.issuer != c.subject]
    if not roots and certs[0].issuer == certs[0].subject:
        roots = [certs[0]]  # a lone self-signed certificate is checked as its own trust anchor
    result = verify_chain(certs[0], intermediates=intermediates, roots=roots, host=host, max_depth=max_depth)
    if as_json:
        json.dump(result.to_json(), sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(chain_text(result))
    return 0 if result.ok else 1


def _read_inputs(files: Sequence[str], passphrase: bytes | None = None) -> list[Any]:
    from .load import load, load_file

    objects: list[Any] = []
    for name in files:
        if name == "-":
            objects.extend(load(sys.stdin.buffer.read(), passphrase=passphrase, source="<stdin>"))
        else:
            objects.extend(load_file(name, passphrase=passphrase))
    return objects


def _depth(text: str) -> int:
    """``--max-depth``: a whole number from 0 to 255 (argparse turns the error into exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 0 <= value <= 255:
        raise argparse.ArgumentTypeError(f"must be from 0 to 255, not {value}")
    return value


def _passphrase(args: argparse.Namespace) -> bytes | None:
    """``--passphrase`` as given, or the first line of ``--passphrase-file`` (as openssl's ``file:``)."""
    if args.passphrase is not None:
        return str(args.passphrase).encode("utf-8")
    if args.passphrase_file is None:
        return None
    from .errors import LoadError

    try:
        with open(args.passphrase_file, "rb") as fh:
            line = fh.readline()
    except OSError as exc:
        raise LoadError("file", f"the passphrase file cannot be read ({exc.strerror})", args.passphrase_file) from None
    return line.rstrip(b"\r\n")


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="certlab",
        description="Learn X.509: read certificates, CSRs, CRLs and keys byte by byte.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    inspect = sub.add_parser(
        "inspect",
        help="show the named, explained ASN.1 tree of certificates, CSRs, CRLs and keys",
        description="Read PEM (any number of blocks), DER or base64 and show each object's ASN.1 "
                    "tree with the RFC field names, decoded values and explanations.",
    )
    fmt = inspect.add_mutually_exclusive_group()
    fmt.add_argument("--text", dest="format", action="store_const", const="text",
                     help="openssl asn1parse-like text with names and values (the default)")
    fmt.add_argument("--json", dest="format", action="store_const", const="json",
                     help='one JSON document {"objects": [...]}, one object per PEM block or DER input')
    fmt.add_argument("--html", dest="format", action="store_const", const="html",
                     help="a standalone HTML page with the interactive explorer")
    inspect.add_argument("--explain", action="store_true", help="with --text: print each node's explanation")
    inspect.add_argument("--width", type=_positive, metavar="N",
                         help="with --text: cut each value at N characters (by default values are shown whole)")
    inspect.add_argument("--reveal", action="store_true",
                         help="show a private key's secret values (RSA d, p, q and CRT values, the EC scalar, "
                              "Ed25519/Ed448/ML-DSA key bytes, the PKCS#8 privateKey string) in every format; "
                              "by default they are hidden and only their sizes and the public parts are shown")
    inspect.add_argument("--chain", action="store_true",
                         help="verify the given certificates as one chain: the first is the leaf, "
                              "self-signed ones are roots, the rest intermediates")
    secret = inspect.add_mutually_exclusive_group()
    secret.add_argument("--passphrase", metavar="PASS",
                        help="the passphrase of an encrypted private key or PKCS#12 file (visible to other "
                             "users of this machine in the process list: prefer --passphrase-file)")
    secret.add_argument("--passphrase-file", metavar="FILE",
                        help="read the passphrase from the first line of FILE")
    inspect.add_argument("--host", metavar="NAME",
                         help="with --chain: the server name (DNS name or IP) the leaf must be valid for")
    inspect.add_argument("--max-depth", metavar="N", type=_depth, default=None,
                         help="with --chain: at most N intermediates between the leaf and the root "
                              "(cryptography's max_chain_depth; its default is 8)")
    inspect.add_argument("files", nargs="+", metavar="FILE", help="file to read; - reads standard input")
    sub.add_parser("progress", help="which notebook exercises you have passed (recorded on this machine only)",
                   add_help=False)
    lab = sub.add_parser("lab", help="copy the certlab notebooks to a folder and open JupyterLab",
                         add_help=False)
    lab.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def _progress(argv: list[str]) -> int:
    """``certlab progress [--reset]``: which exercises this learner has passed (recorded locally)."""
    from . import progress

    parser = argparse.ArgumentParser(
        prog="certlab progress",
        description="Which notebook exercises you have passed. The record is kept on this machine "
        f"only ({progress.progress_path()}); nothing is sent anywhere.",
    )
    parser.add_argument("--reset", action="store_true", help="forget every recorded outcome")
    args = parser.parse_args(argv)
    if args.reset:
        had = progress.reset()
        print("progress: forgotten" if had else "progress: there was nothing recorded")
        return 0
    sys.stdout.write(progress.progress_text())
    return 0


def run() -> None:
    """The ``certlab`` command (the console script and ``python -m certlab``): :func:`main`, then exit.

    ``certlab inspect`` exits without freeing what it read, as mypy's command does
    (``mypy.util.hard_exit``): the tree and fields of a 100,000-entry CRL are millions of
    objects, and freeing them one by one cost half a second of CPU after the output was
    written, where the operating system takes the memory back at once.  The output is
    flushed first.  ``certlab lab`` and ``progress`` exit the usual way.
    """
    kept: list[Any] = []
    status = main(keep=kept)
    if not kept:
        raise SystemExit(status)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `certlab inspect big.crl | head`: the reader left, nothing to say
        pass
    os._exit(status)


def main(argv: Sequence[str] | None = None, *, keep: list[Any] | None = None) -> int:
    """Run the command line; returns the exit status.

    ``keep`` (for :func:`run`): a list that ``inspect`` appends what it read to, so that
    it outlives this call and is freed by the process's exit."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["progress"]:
        return _progress(args_list[1:])
    if args_list[:1] == ["lab"]:
        from . import launcher  # another module; imported only when asked for

        return int(launcher.main(args_list[1:]) or 0)
    parser = _parser()
    args = parser.parse_args(args_list)  # exits 2 on usage errors, as argparse does
    if args.command != "inspect":
        parser.print_help(sys.stderr)
        return 2
    try:
        objects = _read_inputs(args.files, _passphrase(args))
    except CertlabError as exc:
        print(f"certlab inspect: {exc}", file=sys.stderr)
        return 2
    try:
        if args.chain:
            return _chain(objects, args.host, args.format == "json", args.max_depth)
        reports = [_report(o, args.reveal) for o in objects]
        if args.format == "json":
            json.dump({"objects": [_record(r, args.reveal) for r in reports]}, sys.stdout, indent=1,
                      ensure_ascii=False)
            sys.stdout.write("\n")
        elif args.format == "html":
            sys.stdout.write(_html(reports))
        else:
            for r in reports:
                for part in _text_parts(r, explain=args.explain, width=args.width):
                    sys.stdout.write(part)
        if keep is not None:
            keep.append((objects, reports))  # freed by the process's exit (see run)
        return 1 if any(r.malformed for r in reports) else 0
    except BrokenPipeError:  # `certlab inspect x | head`
        return 0
    except Exception as exc:  # last guard: a bug must not spill a traceback on a learner
        print(f"certlab inspect: internal error ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        return 1
