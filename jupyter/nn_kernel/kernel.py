"""The nn kernel: one ``nn --serve`` session per kernel, its replies turned into Jupyter messages.

The protocol is described in ``docs/serve-protocol.md``. Printed text becomes ``stream`` output,
each picture ``display_data`` with the SVG inline, training progress one ``display_data`` line
that ``update_display_data`` replaces in place (and so the frames of a watched training), and an error the cell's ``error`` reply whose
traceback is nn's diagnostic with its caret. Completion and inspection come from nn's completer
and ``help``.
"""

import json
import os
import shutil
import subprocess
import uuid

from ipykernel.kernelbase import Kernel

from . import __version__


def nn_binary():
    """The nn to run: ``NN_BINARY`` if set, else ``nn`` on ``PATH``."""
    return os.environ.get("NN_BINARY") or shutil.which("nn") or "nn"


class SessionEnded(Exception):
    """nn ended (or was never started) while a reply was awaited."""


class NNKernel(Kernel):
    implementation = "nn_kernel"
    implementation_version = __version__
    language = "nn"
    language_version = "0.1.0"
    language_info = {
        "name": "nn",
        "mimetype": "text/x-nn",
        "file_extension": ".nn",
        "pygments_lexer": "nn",  # nn_kernel.lexer, registered with Pygments by pyproject.toml
        "codemirror_mode": "shell",
    }
    banner = "nn: build, train and inspect neural networks ('help' lists the commands)"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._next_id = 0
        self.process = None
        self._start_session()

    # MARK: - The nn process

    def _start_session(self):
        # nn numbers its displays from 1 in each session: the tag keeps a restarted one's apart.
        self.session_tag = uuid.uuid4().hex[:8]
        self.process = subprocess.Popen(
            [nn_binary(), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        ready = self._read()
        if ready.get("type") != "ready":
            raise SessionEnded("nn --serve did not say it was ready: %r" % ready)
        self.language_version = ready.get("version", "nn").split(" ")[-1]

    def _send(self, fields):
        try:
            self.process.stdin.write((json.dumps(fields) + "\n").encode("utf-8"))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise SessionEnded(str(error)) from error

    def _read(self):
        line = self.process.stdout.readline()
        if not line:
            raise SessionEnded("nn ended (exit status %s)" % self.process.poll())
        return json.loads(line)

    def _request(self, fields):
        """Sends a request with a fresh id; returns the id."""
        self._next_id += 1
        fields = dict(fields, id=self._next_id)
        self._send(fields)
        return self._next_id

    def _reply(self, request_id):
        """The next reply to ``request_id``, skipping any left over from an earlier request."""
        while True:
            reply = self._read()
            if reply.get("id") == request_id or reply.get("type") == "protocol_error":
                return reply

    def _restart_session(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._start_session()

    # MARK: - Execute

    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False, **kwargs):
        if not code.strip():
            return self._ok()
        try:
            request_id = self._request({"type": "execute", "code": code, "name": "<cell %d>" % self.execution_count})
            done, diagnostics = self._run_cell(request_id, silent)
        except SessionEnded as error:
            self._restart_session()
            return self._error("SessionEnded", str(error), ["%s; a new session was started, with nothing in it" % error], silent)

        status = done.get("status")
        rendered = [diagnostic.get("rendered", diagnostic.get("message", "")) for diagnostic in diagnostics]
        if status == "error":
            message = diagnostics[0].get("message", "error") if diagnostics else "error"
            return self._error("Error", message, rendered, silent)
        if status == "interrupted":
            return self._error("Interrupted", "interrupted", rendered or ["interrupted"], silent)
        if rendered and not silent:
            # Failed expects: reported where they happened, and the cell went on.
            self.send_response(self.iopub_socket, "stream", {"name": "stderr", "text": "\n".join(rendered) + "\n"})
        return self._ok()

    def _run_cell(self, request_id, silent):
        """Relays a cell's replies as they come, until its ``done``. An interrupt (KeyboardInterrupt:
        ipykernel's interrupt_request, or SIGINT) is passed on to nn and the cell is waited for."""
        diagnostics = []
        progress_id = None
        while True:
            try:
                reply = self._reply(request_id)
                kind = reply.get("type")
                if kind == "done":
                    return reply, diagnostics
                if kind == "diagnostic":
                    diagnostics.append(reply)
                elif silent:
                    continue
                elif kind == "stream":
                    self.send_response(self.iopub_socket, "stream", {"name": reply["name"], "text": reply["text"]})
                elif kind == "picture":
                    content = {"data": {reply["mime"]: reply["data"], "text/plain": "<nn picture>"}, "metadata": {}}
                    if "display_id" in reply:
                        # A picture redrawn as training goes (train … watch=): one display, updated.
                        content["transient"] = {"display_id": "%s-%s" % (self.session_tag, reply["display_id"])}
                    kind = "update_display_data" if reply.get("update") else "display_data"
                    self.send_response(self.iopub_socket, kind, content)
                elif kind == "progress":
                    content = {"data": {"text/plain": reply["text"]}, "metadata": {}}
                    if progress_id is None:
                        progress_id = uuid.uuid4().hex
                        content["transient"] = {"display_id": progress_id}
                        self.send_response(self.iopub_socket, "display_data", content)
                    else:
                        content["transient"] = {"display_id": progress_id}
                        self.send_response(self.iopub_socket, "update_display_data", content)
                elif kind == "protocol_error":
                    raise SessionEnded("nn refused the request: %s" % reply.get("message"))
            except KeyboardInterrupt:
                self._send({"type": "interrupt"})

    def _ok(self):
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def _error(self, name, value, traceback, silent):
        content = {"ename": name, "evalue": value, "traceback": traceback}
        if not silent:
            self.send_response(self.iopub_socket, "error", content)
        return dict(content, status="error", execution_count=self.execution_count)

    # MARK: - Complete, inspect, shut down

    def do_complete(self, code, cursor_pos):
        reply = self._ask({"type": "complete", "code": code, "cursor": cursor_pos})
        if reply is None or reply.get("type") != "completions":
            return {"status": "ok", "matches": [], "cursor_start": cursor_pos, "cursor_end": cursor_pos, "metadata": {}}
        return {
            "status": "ok",
            "matches": reply["matches"],
            "cursor_start": reply["cursor_start"],
            "cursor_end": reply["cursor_end"],
            "metadata": {},
        }

    def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        reply = self._ask({"type": "inspect", "code": code, "cursor": cursor_pos})
        if reply is None or not reply.get("found"):
            return {"status": "ok", "found": False, "data": {}, "metadata": {}}
        return {"status": "ok", "found": True, "data": {"text/plain": reply["text"]}, "metadata": {}}

    def _ask(self, fields):
        """The one reply to a request, or None when nn is gone (it is started again)."""
        try:
            return self._reply(self._request(fields))
        except SessionEnded:
            self._restart_session()
            return None

    def do_shutdown(self, restart):
        if self.process is not None and self.process.poll() is None:
            try:
                self._request({"type": "shutdown"})
                self.process.wait(timeout=5)
            except (SessionEnded, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        return {"status": "ok", "restart": restart}
