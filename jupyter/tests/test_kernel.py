"""The nn kernel driven by Jupyter's own clients: jupyter_client's KernelManager starts the
installed kernel spec (which runs ``nn --serve``), and nbclient executes the example notebook.

Run from the repository root: ``NN_BINARY=.build/debug/nn python3 jupyter/tests/test_kernel.py``
(``swift test`` does, in KernelTests). Exits 0 when every case passes; prints "SKIP: ..." and
exits 0 when jupyter_client, ipykernel, nbclient or nbformat is not installed.
"""

import os
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)

try:
    import ipykernel  # noqa: F401  (the kernel's own base)
    import nbclient
    import nbformat
    from jupyter_client.manager import KernelManager
except ImportError as missing:
    print("SKIP: the kernel tests need ipykernel, jupyter_client, nbclient and nbformat (%s): "
          "run scripts/setup.sh, or pip install ipykernel jupyter_client nbclient nbformat" % missing)
    sys.exit(0)

TIMEOUT = 120  # generous: swift test runs other heavy suites beside this one


def setUpModule():
    """Installs the kernel spec into a temporary prefix, as ``python -m nn_kernel.install`` does,
    and makes the package importable by the kernel's Python without pip."""
    global SPEC_FOLDER
    SPEC_FOLDER = tempfile.TemporaryDirectory()
    sys.path.insert(0, PACKAGE)
    from nn_kernel.install import install

    install(prefix=SPEC_FOLDER.name)
    os.environ["JUPYTER_PATH"] = os.path.join(SPEC_FOLDER.name, "share", "jupyter")
    os.environ["PYTHONPATH"] = PACKAGE + os.pathsep + os.environ.get("PYTHONPATH", "")


def tearDownModule():
    SPEC_FOLDER.cleanup()


class KernelTests(unittest.TestCase):
    """One kernel for the whole class: the cases also check that state outlives errors."""

    @classmethod
    def setUpClass(cls):
        cls.manager = KernelManager(kernel_name="nn")
        cls.manager.start_kernel()
        cls.client = cls.manager.client()
        cls.client.start_channels()
        cls.client.wait_for_ready(timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.client.stop_channels()
        cls.manager.shutdown_kernel(now=False)

    def execute(self, code, during=None):
        """Runs a cell; returns its shell reply and its iopub messages (status ones left out).
        ``during(message)`` sees each output message as it comes."""
        message_id = self.client.execute(code)
        outputs = []
        while True:
            message = self.client.get_iopub_msg(timeout=TIMEOUT)
            if message["parent_header"].get("msg_id") != message_id:
                continue
            kind = message["msg_type"]
            if kind == "status" and message["content"]["execution_state"] == "idle":
                break
            if kind in ("status", "execute_input"):
                continue
            outputs.append(message)
            if during:
                during(message)
        return self.reply_to(message_id)["content"], outputs

    def reply_to(self, message_id):
        """The shell reply to ``message_id``. Replies to earlier requests are passed over:
        ``wait_for_ready`` asks for kernel_info once a second until one answer comes, so a
        kernel slow to start (a loaded machine) leaves the other answers queued."""
        while True:
            reply = self.client.get_shell_msg(timeout=TIMEOUT)
            if reply["parent_header"].get("msg_id") == message_id:
                return reply
            self.assertEqual(reply["msg_type"], "kernel_info_reply", "a reply to a request this test did not make")

    @staticmethod
    def text(outputs):
        return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")

    def test_output_and_an_error_cell_followed_by_a_working_one(self):
        reply, outputs = self.execute("x = 20\nprint x + 1")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(self.text(outputs), "21\n")

        reply, outputs = self.execute("print x * zz")
        self.assertEqual(reply["status"], "error")
        errors = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]["content"]["evalue"], "unknown name 'zz'")
        self.assertIn("error: unknown name 'zz'\n    1 | print x * zz\n      |           ^~", "\n".join(errors[0]["content"]["traceback"]))

        reply, outputs = self.execute("print x * 2")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(self.text(outputs), "40\n")

    def test_a_syntax_error_is_an_error_reply(self):
        reply, outputs = self.execute("y = (1 +")
        self.assertEqual(reply["status"], "error")
        self.assertTrue(any(m["msg_type"] == "error" for m in outputs))

    def test_pictures_are_inline_svg_and_progress_updates_in_place(self):
        reply, outputs = self.execute("clear\ninput 2\nlayer 2 sigmoid\nlayer 1 sigmoid\ndata xor\ntrain epochs=3000 batch=1\nplot loss\ndraw")
        self.assertEqual(reply["status"], "ok")
        pictures = [m for m in outputs if m["msg_type"] == "display_data" and "image/svg+xml" in m["content"]["data"]]
        self.assertEqual(len(pictures), 2)
        self.assertIn("<title>loss by epoch</title>", pictures[0]["content"]["data"]["image/svg+xml"])
        progress = [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data") and "image/svg+xml" not in m["content"]["data"]]
        self.assertGreaterEqual(len(progress), 2)
        self.assertEqual(progress[0]["msg_type"], "display_data")
        self.assertTrue(all(m["msg_type"] == "update_display_data" for m in progress[1:]))
        display_ids = {m["content"]["transient"]["display_id"] for m in progress}
        self.assertEqual(len(display_ids), 1)
        self.assertTrue(progress[-1]["content"]["data"]["text/plain"].startswith("epoch 3000/3000 "))
        self.assertIn("trained 3000 epochs", self.text(outputs))

    def test_watching_training_updates_one_display(self):
        reply, outputs = self.execute("clear\ndata xor\ninput 2\nlayer 3 tanh\nlayer 1 sigmoid\nloss binary_cross_entropy\n"
                                      "train epochs=400 lr=0.5 watch=boundary watch_every=100 quiet=true")
        self.assertEqual(reply["status"], "ok")
        frames = [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data") and "image/svg+xml" in m["content"]["data"]]
        self.assertGreaterEqual(len(frames), 2)
        self.assertEqual(frames[0]["msg_type"], "display_data")
        self.assertTrue(all(m["msg_type"] == "update_display_data" for m in frames[1:]))
        self.assertEqual(len({m["content"]["transient"]["display_id"] for m in frames}), 1)
        self.assertIn("epoch 400/400", frames[-1]["content"]["data"]["image/svg+xml"])
        # The next watch opens a display of its own.
        reply, again = self.execute("train epochs=10 watch=loss quiet=true")
        first = [m for m in again if m["msg_type"] == "display_data" and "image/svg+xml" in m["content"]["data"]]
        self.assertEqual(len(first), 1)
        self.assertNotEqual(first[0]["content"]["transient"]["display_id"], frames[0]["content"]["transient"]["display_id"])

    def test_completion_from_the_command_table(self):
        reply = self.reply_to(self.client.complete("layer 3 sigm", 12))["content"]
        self.assertEqual(reply["matches"], ["sigmoid "])
        self.assertEqual((reply["cursor_start"], reply["cursor_end"]), (8, 12))

    def test_language_info_names_the_lexer_the_package_registers(self):
        reply = self.client.kernel_info(reply=True, timeout=TIMEOUT)
        self.assertEqual(reply["content"]["language_info"]["pygments_lexer"], "nn")
        from nn_kernel.lexer import NNLexer
        self.assertIn("nn", NNLexer.aliases)
        with open(os.path.join(PACKAGE, "pyproject.toml"), encoding="utf-8") as file:
            self.assertIn('nn = "nn_kernel.lexer:NNLexer"', file.read())
        tokens = [str(token) for token, _ in NNLexer().get_tokens("layer 2 sigmoid") if str(token) != "Token.Text.Whitespace"]
        self.assertEqual(tokens, ["Token.Keyword.Reserved", "Token.Literal.Number.Float", "Token.Name.Function.Magic"])

    def test_inspection_is_help(self):
        reply = self.reply_to(self.client.inspect("train epochs=5", 2))["content"]
        self.assertTrue(reply["found"])
        self.assertTrue(reply["data"]["text/plain"].startswith("usage: train"))
        self.assertFalse(self.reply_to(self.client.inspect("print qqq", 8))["content"]["found"])

    def test_interrupting_a_long_train(self):
        self.execute("clear\ninput 2\nlayer 4 sigmoid\nlayer 1 sigmoid\ndata xor")
        interrupted = []

        def interrupt_once_training(message):
            if message["msg_type"] == "display_data" and not interrupted:
                interrupted.append(time.monotonic())
                self.manager.interrupt_kernel()

        reply, outputs = self.execute("train epochs=100000000", during=interrupt_once_training)
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "Interrupted")
        self.assertIn("interrupted at epoch", self.text(outputs))
        reply, outputs = self.execute("print 2")
        self.assertEqual(self.text(outputs), "2\n")


NOTEBOOKS = os.path.join(os.path.dirname(PACKAGE), "notebooks")


class NotebookTests(unittest.TestCase):
    """Every notebook in notebooks/ runs top to bottom, headless, with the figures it shows."""

    def run_notebook(self, name):
        notebook = nbformat.read(os.path.join(NOTEBOOKS, name), as_version=4)
        nbclient.NotebookClient(notebook, kernel_name="nn", timeout=TIMEOUT).execute()
        outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
        text = "".join(output.get("text", "") for output in outputs if output.output_type == "stream")
        svgs = [o for o in outputs if o.output_type == "display_data" and "image/svg+xml" in o.data]
        self.assertFalse([o for o in outputs if o.output_type == "error"], name)
        return text, svgs

    def test_every_notebook_is_tested(self):
        tested = {"mazur.ipynb", "xor.ipynb", "iris.ipynb"}
        self.assertEqual(set(name for name in os.listdir(NOTEBOOKS) if name.endswith(".ipynb")), tested)

    def test_mazur(self):
        text, svgs = self.run_notebook("mazur.ipynb")
        self.assertIn("E = 0.2983711088", text)
        self.assertIn("∂E/∂w5 = 0.7413650696 × 0.1868156018 × 0.5932699921 = 0.08216704056", text)
        self.assertIn("0.3589164797 0.4086661861 0.5113012702 0.5613701211", text)
        self.assertEqual(len(svgs), 3)  # draw, plot loss, plot sigmoid

    def test_xor_learns_and_draws_its_boundary(self):
        text, svgs = self.run_notebook("xor.ipynb")
        self.assertIn("\n1\n", text)  # accuracy
        self.assertEqual(len(svgs), 5)  # plot loss, plot boundary, draw, plot neurons, the watched train
        self.assertTrue(any("decision regions" in svg.data["image/svg+xml"] for svg in svgs))
        self.assertIn("every neuron over the plane", svgs[3].data["image/svg+xml"])
        # The watched train's one display holds its last frame.
        self.assertIn("epoch 2000/2000", svgs[4].data["image/svg+xml"])

    def test_iris_has_a_confusion_matrix(self):
        text, svgs = self.run_notebook("iris.ipynb")
        self.assertIn("test: E = ", text)
        self.assertIn("confusion on the test data:", text)
        self.assertIn("setosa", text)
        self.assertIn("macro avg", text)
        self.assertEqual(len(svgs), 1)  # plot loss


if __name__ == "__main__":
    unittest.main(verbosity=2)
