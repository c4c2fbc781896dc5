#define _GNU_SOURCE
#include "seal_platform.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

int seal_memfd_create(const char *name) {
#if defined(__linux__) && defined(SYS_memfd_create)
    /* Linux 6.3+ may make memory files non-executable unless MFD_EXEC is asked for
       (vm.memfd_noexec); older kernels reject the flag with EINVAL. */
    int fd = (int)syscall(SYS_memfd_create, name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (fd < 0 && errno == EINVAL) {
        fd = (int)syscall(SYS_memfd_create, name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    }
    return fd;
#else
    (void)name;
    errno = ENOSYS;
    return -1;
#endif
}

int seal_memfd_seal(int fd) {
#if defined(__linux__) && defined(F_ADD_SEALS)
    return fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
#else
    (void)fd;
    errno = ENOSYS;
    return -1;
#endif
}
