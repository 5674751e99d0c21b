"""JupyterHub for a certlab workshop on one machine.

Run it (a dry run on 127.0.0.1)::

    ./dev hub                      # installs JupyterHub + configurable-http-proxy, then starts this

or by hand, from an environment where certlab, jupyterhub and
jupyterhub-idle-culler are installed and ``configurable-http-proxy`` (npm) is
on PATH::

    CERTLAB_HUB_PASSWORD='a class password' jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Every setting below can be changed with an environment variable, so the same
file serves the dry run, the tests (``tests/test_hub.py``), the load test
(``benchmarks/bench_classroom.py``) and a real class:

=============================  ==========================================  =====================
variable                       what                                        default
=============================  ==========================================  =====================
``CERTLAB_HUB_IP``             address the hub listens on                  ``127.0.0.1``
``CERTLAB_HUB_PORT``           its port                                    ``8000``
``CERTLAB_HUB_STATE``          folder for the database, cookie secret      ``./artifacts/hub``
``CERTLAB_HUB_HOMES``          SimpleLocalProcessSpawner: learners' homes  ``<state>/homes``
``CERTLAB_HUB_PASSWORD``       the class's shared password (8+ chars)      required
``CERTLAB_HUB_MEM_LIMIT``      memory limit per learner                    ``1G``
``CERTLAB_HUB_CULL_TIMEOUT``   seconds idle before a server is stopped     ``3600``
``CERTLAB_HUB_CULL_EVERY``     how often the culler looks, seconds         ``300``
``CERTLAB_HUB_SPAWNER``        ``simple`` (one Unix user) or ``systemd``   ``simple``
``CERTLAB_HUB_API_TOKEN``      a token with admin scopes (tests, load)     unset: none
``CERTLAB_HUB_PROXY``          path of configurable-http-proxy             found on PATH
``CERTLAB_HUB_SINGLEUSER_ARGS``  more arguments for every learner's server   none
=============================  ==========================================  =====================

Choices, with their trade-offs:

* **Authentication: one shared class password** (JupyterHub's built-in
  ``SharedPasswordAuthenticator``, 5.3+). Learners pick any user name and type
  the password the instructor writes on the board; nothing to install, no
  accounts to prepare. The price: anyone with the password can log in as
  *any* learner, so use it only on a machine that is wiped after the class and
  holds nothing private. For a course that runs over weeks, use
  ``FirstUseAuthenticator`` (PyPI ``jupyterhub-firstuseauthenticator``: each
  learner sets a password on first login) or your institution's OAuth
  (``oauthenticator``).
* **Spawner**: ``SimpleLocalProcessSpawner`` runs every learner's server as the
  hub's own Unix user with a home folder under ``CERTLAB_HUB_HOMES``. It is
  for dry runs and tests only: no isolation between learners and no memory
  limit enforced (``mem_limit`` is only passed on as ``MEM_LIMIT``). For a
  real class on one machine use ``systemdspawner.SystemdSpawner`` (PyPI
  ``jupyterhub-systemdspawner``: one transient systemd unit per learner,
  ``mem_limit``/``cpu_limit`` enforced by cgroups; set
  ``CERTLAB_HUB_SPAWNER=systemd``), or ``dockerspawner.DockerSpawner`` with the
  image repo2docker builds from ``binder/``. Past one machine, Zero to
  JupyterHub: see ``deploy/z2jh/config.yaml``.
* **Idle culler** (PyPI ``jupyterhub-idle-culler``): a hub service that stops
  servers idle for ``CERTLAB_HUB_CULL_TIMEOUT`` seconds, so an abandoned
  laptop's kernel frees its memory.
* **Kernels over Unix sockets** (``--KernelManager.transport=ipc``), not five
  TCP ports each on 127.0.0.1: a learner's server picks its kernel's ports
  as free, then the kernel binds them a moment later, and with thirty
  servers starting kernels at once another server can take one in between
  (the load test at N = 30 saw kernels die with "Address already in use").
  The sockets live in a short per-learner runtime folder
  (``/tmp/certlab-rt-<hash>``: a socket's path must fit in 107 bytes), made
  0700 by the server and removed when it stops.
* **Notebooks**: each learner's server starts with
  ``certlab lab --copy-only``, which copies the tutorial into
  ``~/certlab-notebooks`` the first time and never overwrites a learner's
  edits afterwards; JupyterLab opens on notebook 00.
"""

# ``c`` is the config object JupyterHub hands to this file.
# mypy: ignore-errors
import hashlib
import os
import secrets
import shutil
import socket
import sys
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821


def _env(name, default=None):
    value = os.environ.get(name, "").strip()
    return value if value else default


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ip = _env("CERTLAB_HUB_IP", "127.0.0.1")
port = int(_env("CERTLAB_HUB_PORT", "8000"))
state = Path(_env("CERTLAB_HUB_STATE", "artifacts/hub")).resolve()
state.mkdir(parents=True, exist_ok=True, mode=0o700)
homes = Path(_env("CERTLAB_HUB_HOMES", str(state / "homes"))).resolve()

# --- where it listens: the public proxy port, the hub's and the proxy's API on free ports
c.JupyterHub.bind_url = f"http://{ip}:{port}/"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_free_port()}"
proxy = _env("CERTLAB_HUB_PROXY") or shutil.which("configurable-http-proxy")
if proxy:
    c.ConfigurableHTTPProxy.command = [proxy]
c.ConfigurableHTTPProxy.should_start = True

# --- state kept in one folder, secrets 0600 (JupyterHub writes them so)
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
# Stop every learner's server when the hub stops: nothing lingers after the class.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# --- authentication: one shared class password (see the trade-offs above)
c.JupyterHub.authenticator_class = "shared-password"
password = _env("CERTLAB_HUB_PASSWORD")
if not password:
    raise SystemExit(
        "jupyterhub_config.py: set CERTLAB_HUB_PASSWORD to the class's shared password "
        "(8 characters or more); ./dev hub makes one for you"
    )
c.SharedPasswordAuthenticator.user_password = password
c.Authenticator.allow_all = True  # any name with the class password: the learners choose theirs

# --- spawner
spawner = _env("CERTLAB_HUB_SPAWNER", "simple")
if spawner == "systemd":
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.unit_name_template = "certlab-{USERNAME}"
else:
    c.JupyterHub.spawner_class = "simple"  # jupyterhub.spawner.SimpleLocalProcessSpawner
    c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
    homes.mkdir(parents=True, exist_ok=True, mode=0o700)

c.Spawner.mem_limit = _env("CERTLAB_HUB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(_env("CERTLAB_HUB_CPU_LIMIT", "1"))
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Each learner's server copies the tutorial on first start (never overwriting
# the learner's edits later), then becomes the ordinary single-user server.
# The same Python as the hub's, so the kernel imports this certlab.
_start = (
    '"$0" -m certlab lab --copy-only --dir "$HOME/certlab-notebooks" >/dev/null'
    ' && exec "$0" -m jupyterhub.singleuser "$@"'
)
c.Spawner.cmd = ["/bin/sh", "-c", _start, sys.executable]
c.Spawner.default_url = "/lab/tree/certlab-notebooks/00-start-here.ipynb"
c.Spawner.notebook_dir = "~"
c.Spawner.args = _env("CERTLAB_HUB_SINGLEUSER_ARGS", "").split()  # e.g. the load test's browser hooks
if hasattr(os, "geteuid") and os.geteuid() == 0 and spawner == "simple":
    # a dry run or a CI container as root: jupyter_server refuses root without this
    c.Spawner.args.append("--allow-root")
# Kernels reach their server over Unix sockets in a short runtime folder of the learner's
# own (see "Kernels over Unix sockets" above); a name from the hub's state folder and the
# user name, so two hubs on one machine (tests side by side) never share one.
c.Spawner.args.append("--KernelManager.transport=ipc")


def _runtime_dir(spawner):
    digest = hashlib.sha256(f"{state}\0{spawner.user.name}".encode()).hexdigest()[:16]
    return f"/tmp/certlab-rt-{digest}"


def _remove_runtime_dir(spawner):
    shutil.rmtree(_runtime_dir(spawner), ignore_errors=True)


c.Spawner.environment = {"JUPYTER_RUNTIME_DIR": _runtime_dir}
c.Spawner.post_stop_hook = _remove_runtime_dir
# The learners' servers inherit no secrets of the hub's.
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "CERTLAB_CHROMIUM"]

# --- the idle culler, a hub-managed service with just the scopes it needs
cull_timeout = int(_env("CERTLAB_HUB_CULL_TIMEOUT", "3600"))
cull_every = int(_env("CERTLAB_HUB_CULL_EVERY", "300"))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={cull_timeout}",
            f"--cull-every={cull_every}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

# --- an admin token for the tests and the load test (unset in a class)
api_token = _env("CERTLAB_HUB_API_TOKEN")
if api_token:
    c.JupyterHub.services.append({"name": "certlab-admin", "api_token": api_token})
    c.JupyterHub.load_roles.append({"name": "admin", "services": ["certlab-admin"]})

c.JupyterHub.log_level = _env("CERTLAB_HUB_LOG_LEVEL", "INFO")
# Learners' browsers talk to 127.0.0.1 in a dry run; a real class puts TLS in
# front (c.JupyterHub.ssl_cert/ssl_key or a reverse proxy) — the lesson of notebook 05.
_ = secrets  # (kept for readers adapting this file: secrets.token_hex(16) makes a password)
