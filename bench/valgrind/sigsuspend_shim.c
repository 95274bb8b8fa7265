#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
/* valgrind 3.19 edits the mask given to rt_sigsuspend in place; libdispatch's dispatch_main passes a
   static const one (read-only memory), so valgrind crashes. Pass a writable copy instead. */
int sigsuspend(const sigset_t *mask) { sigset_t copy = *mask; return (int)syscall(SYS_rt_sigsuspend, &copy, 8); }
