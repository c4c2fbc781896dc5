/* seal_test_spawn.h: starting a test's child so that it dies with the test process.
 *
 * posix_spawn cannot set PR_SET_PDEATHSIG in the child, and Swift code must not
 * run between fork and exec; this does both steps in C with async-signal-safe
 * calls only. The signal is sent when the thread that called this function ends
 * (the kernel's notion of "parent"), so call it from a thread that lives as long
 * as the process.
 */
#ifndef SEAL_TEST_SPAWN_H
#define SEAL_TEST_SPAWN_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Starts `path` with `argv` and `envp` (NULL-terminated), stdin from /dev/null,
 * stdout and stderr to `output_fd`, every other descriptor closed, and
 * `death_signal` delivered to it when the calling thread ends. Returns 0 and the
 * child's pid in `*pid`, or an errno value (the exec's, when the exec failed). */
int seal_test_spawn(const char *path, char *const argv[], char *const envp[], int output_fd,
                    int death_signal, pid_t *pid);

#ifdef __cplusplus
}
#endif

#endif
