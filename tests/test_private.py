"""abm works offline and leaves no trace: no network, nothing written outside the output
paths and the temp folder, no vendor data in messages.

The commands run in a child process whose sockets refuse to open (any attempt is
recorded, even one the code would catch and ignore) and whose HOME, working folder and
temp folder are empty folders we inspect afterwards.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"

NO_NETWORK = textwrap.dedent("""
    import os, socket, sys

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    # Making a socket is no traffic (urllib3 probes IPv6 support on import by binding
    # one to ::1); resolving a name, connecting or sending is.
    class NoSocket(socket.socket):
        connect = connect_ex = sendto = sendmsg = refuse

    socket.socket = NoSocket
    socket.create_connection = socket.getaddrinfo = socket.gethostbyname = refuse
    socket.gethostbyname_ex = socket.getnameinfo = refuse
    sys.argv = ["abm", *sys.argv[1:]]
    from abmcli.cli.app import main
    try:
        main()
    finally:
        if attempts:
            sys.stderr.write(f"NETWORK ATTEMPTED: {attempts!r}\\n")
            os._exit(99)
""")


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("private")
    places = {name: root / name for name in ("home", "cwd", "tmp", "inputs", "out")}
    for folder in places.values():
        folder.mkdir()
    for path in [*EXAMPLES.glob("*.csv"), EXAMPLES / "abm.toml"]:
        shutil.copy(path, places["inputs"] / path.name)
    return places


def abm(sandbox: dict[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("XDG_", "HTTP", "HTTPS", "NO_PROXY"))}
    env.update(HOME=str(sandbox["home"]), TMPDIR=str(sandbox["tmp"]), COLUMNS="120")
    return subprocess.run([sys.executable, "-c", NO_NETWORK, *args], capture_output=True,
                          text=True, env=env, cwd=sandbox["cwd"], timeout=120, check=False)


def test_every_command_runs_offline_and_writes_only_its_outputs(sandbox: dict[str, Path]
                                                                 ) -> None:
    inputs, out = sandbox["inputs"], sandbox["out"]
    before = snapshot(inputs)
    config = str(inputs / "abm.toml")
    csvs = sorted(str(p) for p in inputs.glob("*.csv"))
    commands = [
        ["inspect", csvs[0], "--json"],
        ["merge", *csvs, "-c", config, "-o", str(out / "hub.xlsx"), "--lineage",
         str(out / "lineage.csv")],
        ["score", str(out / "hub.xlsx"), "-c", config, "-o", str(out / "scored.xlsx")],
        ["tier", str(out / "scored.xlsx"), "-c", config, "-o", str(out / "tiers.xlsx"),
         "--csv-dir", str(out / "tiers")],
        ["explain", str(out / "tiers.xlsx"), "homedepot.com", "-c", config],
        ["segment", str(out / "tiers.xlsx"), "-c", config, "--where", 'tier == "Tier 1"',
         "--format", "linkedin", "-o", str(out / "tier1-linkedin.csv")],
    ]
    for command in commands:
        done = abm(sandbox, *command)
        assert "NETWORK ATTEMPTED" not in done.stderr, command
        assert done.returncode == 0, (command, done.stderr)
    assert snapshot(inputs) == before  # inputs untouched, nothing added beside them
    for place in ("home", "cwd", "tmp"):
        assert not any(sandbox[place].iterdir()), place
    written = set(snapshot(out))
    asked = {"hub.xlsx", "lineage.csv", "scored.xlsx", "tiers.xlsx", "tier1-linkedin.csv"}
    assert asked <= written
    extra = written - asked
    # Beside the hub: the reviewer's decisions file (README); in tiers/: one CSV per tier.
    assert all(name == "hub-decisions.csv" or name.startswith("tiers/") for name in extra)
    assert not [name for name in written if name.endswith(".tmp")]


def test_an_input_error_names_the_file_but_shows_no_rows(sandbox: dict[str, Path]) -> None:
    secret = "Umbrella Pharma Confidential Prospect"
    bad = sandbox["inputs"] / "broken.csv"
    bad.write_text(f'Company Name,Website\n"{secret},umbrella.example\n', encoding="utf-8")
    try:
        done = abm(sandbox, "merge", str(bad), "-o", str(sandbox["out"] / "broken.xlsx"))
    finally:
        bad.unlink()
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {bad}: line 2 opens a quoted cell")
    assert secret not in done.stderr + done.stdout


def test_an_internal_error_shows_no_vendor_data_without_verbose(sandbox: dict[str, Path]
                                                               ) -> None:
    secret = "Umbrella Pharma Confidential Prospect"
    crash = textwrap.dedent(f"""
        import abmcli.stages.merge
        def crash(*args, **kwargs):
            raise ValueError("could not convert string to float: {secret!r}")
        abmcli.stages.merge.merge_files = crash
    """)
    csv = sorted(sandbox["inputs"].glob("*.csv"))[0]
    env_script = crash + NO_NETWORK
    done = subprocess.run(
        [sys.executable, "-c", env_script, "merge", str(csv), "-o",
         str(sandbox["out"] / "crash.xlsx")],
        capture_output=True, text=True, timeout=120, check=False, cwd=sandbox["cwd"],
        env={**os.environ, "HOME": str(sandbox["home"]), "TMPDIR": str(sandbox["tmp"])})
    assert done.returncode == 4
    assert done.stderr.startswith("internal error: ValueError at abmcli/")
    assert secret not in done.stderr + done.stdout
