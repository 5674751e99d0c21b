"""Issuance time (order -> certificate): certlab's recorded AcmeSession vs a bare `acme` client script.

    .venv/bin/python benchmarks/bench_acme.py [--rounds 12] [--kind http-01]

Both run against the same pebble (started once by certlab.acme.Pebble, on
127.0.0.1) and the same http-01 responder, with the same CSR, a new account
each round, rounds alternating which one goes first. The clock starts at
newOrder and stops when the chain is downloaded (certlab's result also
carries pebble's root, read from the management API once per start). Both poll every 0.1 s, as certlab's session does (the library's
own loops sleep a whole second, which would hide any cost). Each figure is
the median over the rounds: wall time, and the client process's CPU time.

Target: certlab's median wall time <= 1.20 x the bare script's. Exit status 1
on a miss.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from certlab.acme import AcmeSession, Pebble, csr_for, pebble_available  # noqa: E402
from certlab.knowledge.acme import PEBBLE_HINT  # noqa: E402

TARGET = 1.20
POLL = 0.1  # seconds between polls, as AcmeSession.poll_interval


def bare_issue(pebble: Pebble, csr_pem: bytes, kind: str) -> tuple[float, float]:
    """What an ACME client written straight on the library does; returns (wall, cpu) of order -> chain."""
    from acme import client, messages
    from josepy import jwa, jwk

    key = jwk.JWKEC(key=ec.generate_private_key(ec.SECP256R1()))
    net = client.ClientNetwork(key, alg=jwa.ES256, verify_ssl=pebble.ca_bundle,  # type: ignore[arg-type]
                               user_agent="bench-bare")
    directory = client.ClientV2.get_directory(pebble.directory_url, net)
    acme = client.ClientV2(directory, net)
    acme.new_account(messages.NewRegistration.from_data(terms_of_service_agreed=True))
    wall, cpu = time.perf_counter(), time.process_time()
    order = acme.new_order(csr_pem)
    for authz in order.authorizations:
        for challb in authz.body.challenges:
            if challb.chall.typ != kind:
                continue
            response, validation = challb.chall.response_and_validation(key)
            if kind == "http-01":
                pebble.http01.publish(challb.chall.encode("token"), validation)
            else:
                pebble.set_txt(challb.chall.validation_domain_name(authz.body.identifier.value), validation)
            acme.answer_challenge(challb, response)
    # the same polling as certlab's session: every POLL seconds (acme's own loops wait 1 s)
    done_authz = []
    for authzr in order.authorizations:
        while True:
            authzr, _response = acme.poll(authzr)
            if authzr.body.status != messages.STATUS_PENDING:
                break
            time.sleep(POLL)
        assert authzr.body.status == messages.STATUS_VALID
        done_authz.append(authzr)
    order = acme.begin_finalization(order.update(authorizations=done_authz))
    while True:
        body = messages.Order.from_json(acme._post_as_get(order.uri).json())
        if body.status == messages.STATUS_VALID and body.certificate is not None:
            break
        time.sleep(POLL)
    chain = acme._post_as_get(body.certificate).text
    assert "BEGIN CERTIFICATE" in chain
    return time.perf_counter() - wall, time.process_time() - cpu


def certlab_issue(pebble: Pebble, csr: Any, kind: str) -> tuple[float, float]:
    session = AcmeSession(pebble, poll_interval=POLL)
    session.register()
    wall, cpu = time.perf_counter(), time.process_time()
    issued = session.issue(csr, kind, timeout=60)
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    assert issued.chain and len(session.exchanges) > 8
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--kind", choices=("http-01", "dns-01"), default="http-01")
    args = parser.parse_args(argv)
    if not pebble_available():
        print(PEBBLE_HINT)
        return 1
    key = ec.generate_private_key(ec.SECP256R1())
    csr = csr_for(["mysite.com", "www.mysite.com", "subdomain.mysite.com"], key)
    csr_pem = csr.public_bytes(serialization.Encoding.PEM)
    bare: list[tuple[float, float]] = []
    ours: list[tuple[float, float]] = []
    with Pebble.start() as pebble:
        bare_issue(pebble, csr_pem, args.kind)  # warm-up: imports, first connections
        certlab_issue(pebble, csr, args.kind)
        for i in range(args.rounds):
            if i % 2:
                bare.append(bare_issue(pebble, csr_pem, args.kind))
                ours.append(certlab_issue(pebble, csr, args.kind))
            else:
                ours.append(certlab_issue(pebble, csr, args.kind))
                bare.append(bare_issue(pebble, csr_pem, args.kind))
    med = lambda rows, k: statistics.median(r[k] for r in rows)  # noqa: E731
    b_wall, o_wall, b_cpu, o_cpu = med(bare, 0), med(ours, 0), med(bare, 1), med(ours, 1)
    ratio = o_wall / b_wall
    print(f"issuance order -> certificate, {args.kind}, 3 names, {args.rounds} rounds each, same pebble")
    print(f"{'':24}{'median wall':>14}{'min wall':>12}{'median CPU':>14}")
    print(f"{'bare acme script':24}{b_wall * 1000:>11.1f} ms{min(r[0] for r in bare) * 1000:>9.1f} ms"
          f"{b_cpu * 1000:>11.1f} ms")
    print(f"{'certlab (recorded)':24}{o_wall * 1000:>11.1f} ms{min(r[0] for r in ours) * 1000:>9.1f} ms"
          f"{o_cpu * 1000:>11.1f} ms")
    print(f"wall ratio certlab/bare = {ratio:.3f} (target <= {TARGET:.2f}): {'PASS' if ratio <= TARGET else 'FAIL'}")
    print(f"CPU ratio certlab/bare = {o_cpu / b_cpu:.3f} (the recording, the key authorizations "
          "and certlab's bookkeeping)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
