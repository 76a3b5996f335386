"""Self-signed certificates made at test time, for the TLS listeners under test (Antenne's HTTPS and
RTMPS, a cache's HTTPS) and the clients that are told to trust them."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_certificate(directory: Path, name: str = "antenne-test") -> tuple[Path, Path]:
    """A self-signed P-256 certificate for localhost and 127.0.0.1, valid two days, with common
    name `name`, and its key: `directory/cert.pem` and `directory/key.pem`."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", f"/CN={name}", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=30)
    return cert, key
