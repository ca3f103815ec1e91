"""The interactive prompt, driven through a pseudo-terminal as a person drives it.

Run by PromptTests.swift (so `swift test` runs it) with NN_BINARY set to the binary under
test; needs pexpect. Every test gets its own history file and HOME, so nothing leaks between
tests or into the user's own history.
"""
import os
import termios
import re
import signal
import sys
import tempfile
import time
import unittest

import pexpect

NN = os.environ.get("NN_BINARY", ".build/debug/nn")
PROMPT = "nn> "
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def unblock_interrupts():
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])


class Prompt:
    """nn on a terminal 100 columns wide, with a fresh history file."""

    def __init__(self, *arguments, history_lines=None, env=None):
        self.folder = tempfile.mkdtemp(prefix="nn-prompt-")
        self.history = os.path.join(self.folder, "history")
        if history_lines is not None:
            with open(self.history, "w", encoding="utf-8") as file:
                file.write("".join(line + "\n" for line in history_lines))
        environment = dict(os.environ, HOME=self.folder, NN_HISTORY=self.history, TERM="xterm", NO_COLOR="1")
        environment.update(env or {})
        # As at a real terminal, SIGINT unblocked: a test runner may leave it blocked, which
        # once hid that Ctrl-C went to a thread other than the one reading the prompt.
        self.child = pexpect.spawn(NN, list(arguments), env=environment, encoding="utf-8",
                                   dimensions=(30, 100), timeout=60, preexec_fn=unblock_interrupts)

    def expect_prompt(self):
        self.child.expect_exact(PROMPT)

    def wait_until_editing(self):
        """Waits until the line editor has the terminal in raw mode, as a person's typing finds
        it. A key sent between the prompt appearing and that switch reaches the terminal's own
        line discipline instead (a Ctrl-D there is echoed as ^D and lost); on a loaded machine
        that window is wide enough for a test to hit it."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if not termios.tcgetattr(self.child.child_fd)[3] & termios.ICANON:
                    return
            except termios.error:
                return
            time.sleep(0.005)

    def type(self, text):
        self.wait_until_editing()
        self.child.send(text)

    def run(self, line):
        """Types a line and returns what it printed before the next prompt."""
        self.wait_until_editing()
        self.child.send(line + "\r")
        self.child.expect_exact(PROMPT)
        shown = self.child.before.replace("\r\n", "\n")
        # The terminal echoes the line first; what follows is nn's answer.
        return shown.split("\n", 1)[1] if "\n" in shown else ""

    def history_file(self):
        with open(self.history, encoding="utf-8") as file:
            return file.read()

    def close(self):
        # Ctrl-D ends the session. On a loaded machine a key sent just as the prompt appears can
        # reach the terminal before libedit reads it as a key (it then edits the line instead), so
        # if nn has not ended, clear the line with Ctrl-U and send Ctrl-D again; as a last resort
        # type quit, which ends with the same status.
        for attempt in range(6):
            self.wait_until_editing()
            if attempt > 0:
                self.child.send("\x15")
            self.child.sendeof()
            if self.child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=3) == 0:
                break
        else:
            self.child.send("\x15quit\r")
            self.child.expect(pexpect.EOF, timeout=60)
        self.child.close()
        return self.child.exitstatus


class PromptTests(unittest.TestCase):
    def test_welcome_line_and_quiet(self):
        prompt = Prompt()
        prompt.child.expect(r"nn \d+\.\d+\.\d+ . 'help' lists the commands")
        prompt.expect_prompt()
        self.assertEqual(prompt.close(), 0)
        quiet = Prompt("-q")
        quiet.expect_prompt()
        self.assertNotIn("help", quiet.child.before)
        self.assertEqual(quiet.close(), 0)

    def test_typing_and_running(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        self.assertEqual(prompt.run("print sigmoid(0)"), "0.5\n")
        self.assertEqual(prompt.close(), 0)

    def test_completion_of_a_command_an_option_and_a_parameter(self):
        # libedit redraws as it completes, so the tests check what the completed line does.
        prompt = Prompt("-q")
        prompt.expect_prompt()
        prompt.run("input 2")
        # Wait for each completion to be drawn before typing on: the machine may be busy.
        prompt.type("lay\t")
        prompt.child.expect_exact("er ")
        prompt.type("2 sigm\t")
        prompt.child.expect_exact("oid ")
        self.assertEqual(prompt.run(""), "")
        self.assertIn("sigmoid", prompt.run("summary"))
        prompt.run("layer 2 tanh")
        prompt.run("data x=[[0, 1]] y=[[1, 0]]")
        prompt.type("train epo\t")
        prompt.child.expect_exact("chs=")
        # At a terminal the progress line is drawn in place, then cleared for the summary.
        self.assertRegex(prompt.run("1 lr=0.1"), r"\r\x1b\[Kepoch 1/1 .* samples/s.*\r\x1b\[Ktrained 1 epoch: E = ")
        prompt.type("print W\t")
        prompt.child.expect_exact("\x07")  # two candidates: the first Tab only rings the bell
        prompt.type("\t")  # a second Tab lists the candidates
        prompt.child.expect(r"W1\s+W2")
        prompt.type("1\r")
        prompt.child.expect(r"\n\[\[-?[0-9.]+, -?[0-9.]+\], \[")  # W1's value: a 2×2 matrix
        prompt.expect_prompt()
        self.assertEqual(prompt.close(), 0)

    def test_up_arrow_recalls_a_line_from_a_previous_session(self):
        prompt = Prompt("-q", history_lines=["print 6 * 7"])
        prompt.expect_prompt()
        prompt.type("\x1b[A")  # up arrow
        prompt.child.expect_exact("print 6 * 7")
        self.assertEqual(prompt.run(""), "42\n")
        self.assertEqual(prompt.close(), 0)

    def test_history_lasts_without_blanks_or_repeats(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        for line in ["print 1", "", "print 1", "print 2"]:
            prompt.run(line)
        # Written after every line: readable while the session is still open.
        self.assertEqual(prompt.history_file(), "print 1\nprint 2\n")
        self.assertEqual(prompt.close(), 0)

    def test_an_unwritable_history_file_warns_once(self):
        prompt = Prompt("-q", env={"NN_HISTORY": "/nonexistent-folder/history"})
        prompt.expect_prompt()
        self.assertIn("warning: cannot save history", prompt.run("print 1"))
        self.assertEqual(prompt.run("print 2"), "2\n")
        self.assertEqual(prompt.close(), 0)

    def test_a_multi_line_matrix_literal(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        prompt.type("x = [[1, 2],\r")
        prompt.child.expect_exact("...> ")
        self.assertEqual(prompt.run("     [3, 4]]"), "")
        self.assertEqual(prompt.run("print x"), "[[1, 2], [3, 4]]\n")
        self.assertEqual(prompt.close(), 0)

    def test_the_first_continuation_says_how_to_get_out_once(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        prompt.type("x = [1,\r")
        prompt.child.expect_exact("(the statement goes on until its brackets close; Ctrl-C drops it)")
        prompt.child.expect_exact("...> ")
        self.assertEqual(prompt.run("2]"), "")
        prompt.type("y = [3,\r")
        prompt.child.expect_exact("...> ")
        self.assertNotIn("Ctrl-C", prompt.child.before)
        self.assertEqual(prompt.run("4]"), "")
        self.assertEqual(prompt.run("print x, y"), "[1, 2] [3, 4]\n")
        self.assertEqual(prompt.close(), 0)

    def test_ctrl_d_leaves_a_newline_behind(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        shown = ""
        for _ in range(10):  # as in close(): a Ctrl-D sent as the prompt appears can be lost
            prompt.wait_until_editing()
            prompt.child.sendeof()
            ended = prompt.child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=2) == 0
            shown += prompt.child.before
            if ended:
                break
        # Whatever the terminal echoed for Ctrl-D, nn's last output ends the line.
        self.assertTrue(shown.endswith("\r\n"), repr(shown))
        prompt.child.close()
        self.assertEqual(prompt.child.exitstatus, 0)

    def test_errors_keep_the_session(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        prompt.run("rate = 0.5")
        answer = prompt.run("layer 2 sigmod")
        self.assertIn("<repl>:1:9: error: unknown activation 'sigmod'", answer)
        self.assertIn("did you mean 'sigmoid'?", answer)
        self.assertEqual(prompt.run("print rate"), "0.5\n")
        self.assertEqual(prompt.close(), 0)

    def test_ctrl_c_at_the_prompt_clears_the_line(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        prompt.type("print 5")
        prompt.child.expect_exact("print 5")
        prompt.child.sendintr()
        prompt.expect_prompt()
        self.assertEqual(prompt.run("print 6"), "6\n")
        self.assertEqual(prompt.close(), 0)

    def test_ctrl_c_stops_a_long_training_run_cleanly(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        for line in ["input 2", "layer 3 tanh", "layer 1 sigmoid",
                     "data x=[[0, 0], [0, 1], [1, 0], [1, 1]] y=[[0], [1], [1], [0]]"]:
            self.assertEqual(prompt.run(line), "")
        prompt.type("train epochs=1000000000 lr=0.1\r")
        prompt.child.expect("samples/s")  # training has begun: the live line is drawn
        time.sleep(0.3)
        prompt.child.sendintr()
        prompt.child.expect(r"interrupted at epoch (\d+) of 1000000000: E = ([0-9.e-]+)")
        self.assertGreater(int(prompt.child.match.group(1)), 1)
        prompt.expect_prompt()
        weights = prompt.run("print sum(W1) + sum(W2) + sum(b1) + sum(b2)")
        self.assertTrue(all(c in "0123456789.-e\n" for c in weights), weights)
        self.assertRegex(prompt.run("loss"), r"^E = [0-9.e-]+\n$")
        self.assertEqual(prompt.close(), 0)

    def test_ctrl_d_exits_zero(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        self.assertEqual(prompt.close(), 0)

    def test_quit_exits_zero(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        prompt.type("quit\r")
        prompt.child.expect(pexpect.EOF)
        prompt.child.close()
        self.assertEqual(prompt.child.exitstatus, 0)

    def test_a_non_ascii_comment_survives(self):
        prompt = Prompt("-q")
        prompt.expect_prompt()
        self.assertEqual(prompt.run("print 1 # café, ∂E/∂w5"), "1\n")
        self.assertIn("café, ∂E/∂w5", prompt.history_file())
        self.assertEqual(prompt.close(), 0)

    def test_colour_when_allowed_and_never_otherwise(self):
        coloured = Prompt("-q", env={"NO_COLOR": ""})
        coloured.expect_prompt()
        self.assertIn("\x1b[", coloured.run("print nosuch"))
        self.assertEqual(coloured.close(), 0)
        plain = Prompt("-q", "--color=never", env={"NO_COLOR": ""})
        plain.expect_prompt()
        self.assertNotIn("\x1b[", plain.run("print nosuch"))
        self.assertEqual(plain.close(), 0)
        no_color = Prompt("-q")  # NO_COLOR=1
        no_color.expect_prompt()
        self.assertNotIn("\x1b[", no_color.run("print nosuch"))
        self.assertEqual(no_color.close(), 0)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
