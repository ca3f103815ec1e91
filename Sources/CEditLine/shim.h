// libedit (BSD editline) for the nn executable, through its readline-compatible interface.
//
// Swift 6 rejects libedit's mutable globals (rl_readline_name, history_length, ...), so they are
// read and set through the small functions below. The SIGINT flag lives here too: a handler that
// only sets a flag is the one thing a signal handler may safely do.
//
// The functions are static inline; the interrupt flag they share is a weak global, so there
// is one of it however many object files the functions are inlined into.
#ifndef NN_CEDITLINE_SHIM_H
#define NN_CEDITLINE_SHIM_H

#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
// Always editline's header: <readline/readline.h> is GNU readline, also installed on Debian.
#include <editline/readline.h>

// MARK: - Set-up

// libedit keeps these pointers, and Swift's strings passed as char * live only for the call:
// hence the copies, made once and kept for the life of the process.
static inline void nn_editline_configure(const char *program_name, const char *word_break_characters) {
    setlocale(LC_CTYPE, "C.UTF-8");  // without it libedit silently drops non-ASCII bytes
    rl_readline_name = strdup(program_name);  // ~/.editrc lines for "nn" apply
    char *word_breaks = strdup(word_break_characters);
    rl_basic_word_break_characters = word_breaks;
    rl_completer_word_break_characters = word_breaks;
    rl_special_prefixes = "";  // libedit passes it to wcschr unchecked
    rl_initialize();
}

// MARK: - Completion

typedef char **nn_completion_function(const char *text, int start, int end);

static inline void nn_editline_set_completion(nn_completion_function *function) {
    rl_attempted_completion_function = function;
}

// Called from inside the completion function: no file-name fallback, and which character
// follows a single completed word (a space, or nothing after "epochs=").
static inline void nn_editline_completion_done(int append_character) {
    rl_attempted_completion_over = 1;
    rl_completion_append_character = append_character;
}

// The line being edited, as libedit holds it.
static inline const char *nn_editline_line(void) { return rl_line_buffer; }

// MARK: - History

static inline void nn_editline_add_history(const char *line) { add_history(line); }
static inline void nn_editline_clear_history(void) { clear_history(); }

// MARK: - Ctrl-C

// One flag for the whole program. A `static` here would give every object file that uses
// these functions its own copy, and a release build, which inlines Swift code across files,
// then cleared one copy while the handler set another: the statement after an interrupted
// `train` was reported as interrupted too. A weak definition in every object file links
// into a single variable.
__attribute__((weak)) volatile sig_atomic_t nn_interrupted = 0;
// The thread that installed the handler: the interpreter's, which reads the prompt.
__attribute__((weak)) pthread_t nn_interrupt_thread = 0;
// SIGTERM or SIGHUP once either came (0 before): it stops the program for good, as SIGINT
// stops a statement, so clearing the flag leaves it set.
__attribute__((weak)) volatile sig_atomic_t nn_stop_signal = 0;

static inline void nn_on_interrupt(int signal_number) {
    if (signal_number != SIGINT) nn_stop_signal = signal_number;
    nn_interrupted = 1;
    // Linux gives Ctrl-C to any thread that does not block it (the main thread waiting for
    // the interpreter's, or an OpenBLAS worker). Only on the reading thread does it end the
    // read() with EINTR, so readline() returns and the line is cleared: pass it on there.
    if (!pthread_equal(pthread_self(), nn_interrupt_thread)) {
        pthread_kill(nn_interrupt_thread, signal_number);
    }
}

// Installs a SIGINT handler that only sets the flag. Without SA_RESTART, readline() returns
// NULL at once on Ctrl-C; the flag tells that apart from end of input.
static inline int nn_install_interrupt_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = nn_on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    // A parent (a test runner, a job-control shell) may have left SIGINT blocked.
    sigset_t interrupt_only;
    sigemptyset(&interrupt_only);
    sigaddset(&interrupt_only, SIGINT);
    sigprocmask(SIG_UNBLOCK, &interrupt_only, NULL);
    nn_interrupt_thread = pthread_self();
    return sigaction(SIGINT, &action, NULL);
}

// SIGTERM and SIGHUP set the flag as SIGINT does, and record which came: a batch
// scheduler's or a closed terminal's stop then flushes the output and exits 143 or 129.
static inline int nn_install_stop_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = nn_on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGHUP);
    sigprocmask(SIG_UNBLOCK, &stops, NULL);
    if (sigaction(SIGTERM, &action, NULL) != 0) return -1;
    return sigaction(SIGHUP, &action, NULL);
}

static inline int nn_interrupt_pending(void) { return nn_interrupted != 0; }
static inline void nn_clear_interrupt(void) { nn_interrupted = nn_stop_signal != 0; }
static inline int nn_stop_signal_number(void) { return nn_stop_signal; }

#endif
