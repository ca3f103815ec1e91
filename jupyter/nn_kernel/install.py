"""Installs the nn kernel spec: ``python -m nn_kernel.install [--user | --sys-prefix | --prefix DIR] [--nn PATH]``."""

import argparse
import json
import os
import sys
import tempfile

from jupyter_client.kernelspec import KernelSpecManager


def kernel_spec(nn=None):
    """The kernel.json: this Python runs the kernel; ``nn`` (a path) is written into its environment."""
    spec = {
        "argv": [sys.executable, "-m", "nn_kernel", "-f", "{connection_file}"],
        "display_name": "nn",
        "language": "nn",
        "interrupt_mode": "signal",
        "env": {},
    }
    if nn:
        spec["env"]["NN_BINARY"] = os.path.abspath(nn)
    return spec


def install(user=False, prefix=None, nn=None):
    """Installs the spec named ``nn``; returns the folder it went to."""
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "kernel.json"), "w") as file:
            json.dump(kernel_spec(nn), file, indent=2)
        return KernelSpecManager().install_kernel_spec(folder, "nn", user=user, prefix=prefix)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nn_kernel.install", description="Install the nn Jupyter kernel.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="for this user only (the default outside a virtual environment)")
    where.add_argument("--sys-prefix", action="store_true", help="into this Python's prefix (a virtual environment, conda)")
    where.add_argument("--prefix", help="under PREFIX/share/jupyter/kernels")
    parser.add_argument("--nn", help="the nn binary to run (default: NN_BINARY, else nn on PATH when the kernel starts)")
    arguments = parser.parse_args(argv)
    prefix = sys.prefix if arguments.sys_prefix else arguments.prefix
    user = arguments.user or (prefix is None and sys.prefix == sys.base_prefix)
    folder = install(user=user, prefix=prefix, nn=arguments.nn)
    print("installed the nn kernel spec in %s" % folder)


if __name__ == "__main__":
    main()
