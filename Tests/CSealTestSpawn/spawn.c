#define _GNU_SOURCE
#include "seal_test_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Closes descriptors from `first` up: close_range when the kernel has it, else one by one. */
static void close_from(int first) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0) return;
#endif
    long most = sysconf(_SC_OPEN_MAX);
    for (int fd = first; fd < (most > 0 ? most : 65536); fd++) close(fd);
}

int seal_test_spawn(const char *path, char *const argv[], char *const envp[], int output_fd,
                    int death_signal, pid_t *pid) {
    /* The child reports a failed exec through this pipe (closed by a successful one). */
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        return error;
    }
    pid_t parent = getpid();
    /* A raw clone, not fork(): fork() runs the pthread_atfork handlers, and OpenBLAS's handler
     * (blas_thread_shutdown_) joins its worker threads; while another test thread is inside a BLAS
     * call that join never returns, and the whole test process hung with every thread parked.
     * The child only calls raw system calls before execve, so skipping the handlers is safe. */
    pid_t child = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0UL, 0UL, 0UL, 0UL);
    if (child < 0) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        close(devnull);
        return error;
    }
    if (child == 0) {
        /* From here on only async-signal-safe calls. */
        if (prctl(PR_SET_PDEATHSIG, death_signal) != 0 || getppid() != parent) _exit(127);
        if (dup2(devnull, 0) < 0 || dup2(output_fd, 1) < 0 || dup2(output_fd, 2) < 0) _exit(127);
        /* Keep the report pipe (close-on-exec) above the standard descriptors. */
        int keep = report[1];
        if (keep < 3) _exit(127);
        if (keep != 3 && dup3(keep, 3, O_CLOEXEC) < 0) _exit(127);
        close_from(4);
        execve(path, argv, envp);
        int error = errno;
        (void)!write(3, &error, sizeof error);
        _exit(127);
    }
    close(report[1]);
    close(devnull);
    int error = 0;
    ssize_t count;
    do {
        count = read(report[0], &error, sizeof error);
    } while (count < 0 && errno == EINTR);
    close(report[0]);
    if (count == (ssize_t)sizeof error) {
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        return error;
    }
    *pid = child;
    return 0;
}
