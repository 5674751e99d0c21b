"""The ``certlab`` command (also ``python -m certlab``).

``certlab inspect [--json|--text|--html] FILE...`` reads PEM (any number of
blocks), DER or base64 (``-`` is stdin) and shows every object's named,
explained ASN.1 tree.  ``certlab lab`` opens the notebooks (:mod:`certlab.lab`).

Exit status: 0 when everything parsed, 1 when some input was malformed (the
output is still printed, with its errors), 2 for usage errors (no such file,
unknown option).  No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Sequence

from .errors import CertlabError
from .explorer import Explored, explore

__all__ = ["main"]

# Traditional PEM encryption (RFC 1421 headers) leaves ciphertext, not DER.
_LEGACY_KEY_LABELS = frozenset({"RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY"})


def _explore(loaded: Any) -> Explored | None:
    if not loaded.der or (loaded.encrypted and loaded.label in _LEGACY_KEY_LABELS):
        return None
    kind = loaded.kind if loaded.kind not in ("unknown", "pkcs7", "pkcs12") else None
    explored = explore(loaded.der, kind)
    if explored.root_name is None and kind is not None:
        explored = explore(loaded.der, None)  # label and shape disagree: trust the bytes
    return explored


def _record(loaded: Any) -> dict[str, Any]:
    """The JSON record of one loaded object (the lead adds fields/findings here)."""
    explored = _explore(loaded)
    errors = [{"offset": e.offset, "message": e.message} for e in explored.errors] if explored else []
    if loaded.kind == "unknown" and loaded.error and not errors:
        errors.append({"offset": 0, "message": loaded.error})
    return {
        "source": loaded.source,
        "kind": loaded.kind,
        "der_length": len(loaded.der),
        "tree": explored.to_json() if explored else None,
        "errors": errors,
        "note": loaded.error if loaded.kind != "unknown" else None,
    }


def _text(loaded: Any) -> str:
    """The plain-text report of one loaded object."""
    from .render.asn1_text import explorer_text

    head = f"== {loaded.source}: {loaded.kind}, {len(loaded.der)} bytes"
    if loaded.label:
        head += f" (PEM {loaded.label})"
    parts = [head]
    if loaded.error:
        parts.append(f"note: {loaded.error}")
    explored = _explore(loaded)
    if explored is not None:
        parts.append(explorer_text(explored).rstrip("\n"))
    elif loaded.kind == "unknown" and loaded.error:
        parts.append(f"error at offset 0: {loaded.error}")
    return "\n".join(parts) + "\n"


def _html(objects: list[Any]) -> str:
    from html import escape

    from .render import style
    from .render.asn1_html import explorer_fragment

    body = []
    for loaded in objects:
        explored = _explore(loaded)
        inner = explorer_fragment(explored) if explored else f"<p>{escape(loaded.error or 'nothing to show')}</p>"
        body.append(style.view(inner, title=f"{loaded.source}: {loaded.kind}"))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>certlab inspect</title>'
            f"</head><body>{''.join(body)}</body></html>\n")


def _malformed(record: dict[str, Any]) -> bool:
    return bool(record["errors"])


def _read_inputs(files: Sequence[str]) -> list[Any]:
    from .load import load, load_file

    objects: list[Any] = []
    for name in files:
        if name == "-":
            objects.extend(load(sys.stdin.buffer.read(), source="<stdin>"))
        else:
            objects.extend(load_file(name))
    return objects


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
    inspect.add_argument("files", nargs="+", metavar="FILE", help="file to read; - reads standard input")
    lab = sub.add_parser("lab", help="copy the certlab notebooks to a folder and open JupyterLab",
                         add_help=False)
    lab.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["lab"]:
        from . import lab  # another module; imported only when asked for

        return int(lab.main(args_list[1:]) or 0)
    parser = _parser()
    args = parser.parse_args(args_list)  # exits 2 on usage errors, as argparse does
    if args.command != "inspect":
        parser.print_help(sys.stderr)
        return 2
    try:
        objects = _read_inputs(args.files)
    except CertlabError as exc:
        print(f"certlab inspect: {exc}", file=sys.stderr)
        return 2
    try:
        if args.format == "json":
            records = [_record(o) for o in objects]
            json.dump({"objects": records}, sys.stdout, indent=1, ensure_ascii=False)
            sys.stdout.write("\n")
            return 1 if any(_malformed(r) for r in records) else 0
        if args.format == "html":
            sys.stdout.write(_html(objects))
        else:
            for o in objects:
                out = _text(o)
                if not args.explain:
                    sys.stdout.write(out)
                else:
                    from .render.asn1_text import explorer_text
                    explored = _explore(o)
                    sys.stdout.write(out.split("\n", 1)[0] + "\n")
                    if explored is not None:
                        sys.stdout.write(explorer_text(explored, explain=True))
        return 1 if any(_malformed(_record(o)) for o in objects) else 0
    except BrokenPipeError:  # `certlab inspect x | head`
        return 0
    except Exception as exc:  # last guard: a bug must not spill a traceback on a learner
        print(f"certlab inspect: internal error ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        return 1
