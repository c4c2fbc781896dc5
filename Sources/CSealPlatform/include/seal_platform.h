/* seal_platform.h: Linux calls that Swift's Glibc module does not expose.
 *
 * glibc declares memfd_create() and the file-sealing constants only under
 * _GNU_SOURCE, which Swift's Glibc module is built without. These wrappers give
 * them fixed signatures.
 */
#ifndef SEAL_PLATFORM_H
#define SEAL_PLATFORM_H

#ifdef __cplusplus
extern "C" {
#endif

/* An anonymous, close-on-exec, executable memory file that can be sealed; -1 with errno set on failure. */
int seal_memfd_create(const char *name);

/* Seals a memory file against writes, resizing and further seals; 0 or -1 with errno. */
int seal_memfd_seal(int fd);

#ifdef __cplusplus
}
#endif

#endif
