/* SPDX-License-Identifier: MIT */
/*
 * ptelab_selftest.h: the driver shared by the C programs `ptelab selftest` writes (one program per scenario).
 *
 * Written for ptelab from the documented user API (userfaultfd(2), ioctl_userfaultfd(2), madvise(2),
 * proc_pid_pagemap(5), memfd_create(2), fallocate(2), swapoff(2)); the layout of a test follows the kernel's mm
 * selftests (tools/testing/selftests/mm), the code is ptelab's own.
 *
 * Model: every mm of the scenario is a process (a "worker") that executes one command at a time, sent by the
 * driver (main) over a socket. Addresses are page indices from PT_BASE, the same in every mm. A page holds one
 * 64-bit value at its start. In a scenario with a hugetlbfs file every model page is one huge page (pt_hugetlb): page
 * index a lives at PT_BASE + a * the huge page size, its value in the huge page's first word.
 *
 * Faults are observed without blocking: every userfaultfd is opened with UFFD_FEATURE_SIGBUS on top of the
 * scenario's features, so a write that would wait for a write-protect fault gets SIGBUS instead, and nothing has to
 * resolve it (a monitor thread could only wake the writer by lifting the protection, which makes the write happen
 * and changes what the next steps observe). A SIGBUS inside the file is a userfault; beyond the end of the file it
 * is the ordinary SIGBUS. The userfault's mode (MISSING, WP, MINOR) is read back from the state the fault left
 * (pt_classify_sigbus); BUS_MCEERR_AR is the hwpoison signal. A scenario that asks for UFFD_FEATURE_SIGBUS itself
 * expects the SIGBUS.
 *
 * Kernel events are forced with user-space means and then checked: an eviction must leave the page in swap and no
 * PTE present, a migration must change the PFN. When an event cannot be forced, the steps after it are "not run".
 */
#ifndef PTELAB_SELFTEST_H
#define PTELAB_SELFTEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__has_include)
#if __has_include(<linux/io_uring.h>)
#include <linux/io_uring.h>
#define PT_HAVE_IO_URING 1 /* long-term pins through io_uring fixed buffers (step_pin) */
#endif
#endif

/* Older uapi headers lack the newer bits (values from include/uapi/linux/userfaultfd.h, v6.4). */
#ifndef UFFD_FEATURE_WP_HUGETLBFS_SHMEM
#define UFFD_FEATURE_WP_HUGETLBFS_SHMEM (1 << 12)
#endif
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13)
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif
/* Newer than many distributions' uapi headers: include/uapi/linux/userfaultfd.h (UFFDIO_POISON and
 * UFFD_FEATURE_POISON v6.6, UFFDIO_COPY/CONTINUE_MODE_WP v5.7/v6.4, UFFD_FEATURE_MOVE v6.8) and
 * include/uapi/asm-generic/mman-common.h (MADV_GUARD_INSTALL/REMOVE v6.13). */
#ifndef UFFDIO_COPY_MODE_WP
#define UFFDIO_COPY_MODE_WP ((__u64)1 << 1)
#endif
#ifndef UFFDIO_CONTINUE_MODE_WP
#define UFFDIO_CONTINUE_MODE_WP ((__u64)1 << 1)
#endif
#ifndef UFFD_FEATURE_POISON
#define UFFD_FEATURE_POISON (1 << 14)
#endif
#ifndef UFFD_FEATURE_MOVE
#define UFFD_FEATURE_MOVE (1 << 16)
#endif
#ifndef _UFFDIO_POISON
#define _UFFDIO_POISON (0x08)
struct uffdio_poison {
	struct uffdio_range range;
	__u64 mode;
	__s64 updated;
};
#define UFFDIO_POISON _IOWR(UFFDIO, _UFFDIO_POISON, struct uffdio_poison)
#endif
#ifndef _UFFDIO_MOVE
#define _UFFDIO_MOVE (0x05)
struct uffdio_move {
	__u64 dst;
	__u64 src;
	__u64 len;
	__u64 mode;
	__s64 move;
};
#define UFFDIO_MOVE _IOWR(UFFDIO, _UFFDIO_MOVE, struct uffdio_move)
#endif
#ifndef UFFDIO_MOVE_MODE_DONTWAKE
#define UFFDIO_MOVE_MODE_DONTWAKE ((__u64)1 << 0)
#endif
#ifndef UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES
#define UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES ((__u64)1 << 1)
#endif
#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#ifndef MADV_GUARD_REMOVE
#define MADV_GUARD_REMOVE 103
#endif
/*
 * UFFD_FEATURE_WP_ASYNC and PAGEMAP_SCAN came with v6.7 ("fs/proc/task_mmu: implement IOCTL to get and optionally
 * clear info about PTEs", 52526ca7fdb9): the feature bit from include/uapi/linux/userfaultfd.h, the ioctl, its
 * argument and its output from include/uapi/linux/fs.h of that version (only what the driver asks is defined here).
 */
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif
#ifndef PAGEMAP_SCAN
#define PAGE_IS_WRITTEN (1 << 1)
#define PAGE_IS_SWAPPED (1 << 4)
#define PM_SCAN_WP_MATCHING (1 << 0)
#define PM_SCAN_CHECK_WPASYNC (1 << 1)
struct page_region {
	__u64 start;
	__u64 end;
	__u64 categories;
};
struct pm_scan_arg {
	__u64 size;
	__u64 flags;
	__u64 start;
	__u64 end;
	__u64 walk_end;
	__u64 vec;
	__u64 vec_len;
	__u64 max_pages;
	__u64 category_inverted;
	__u64 category_mask;
	__u64 category_anyof_mask;
	__u64 return_mask;
};
#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#endif
#ifndef BUS_MCEERR_AR
#define BUS_MCEERR_AR 4
#endif

/* pagemap bits (Documentation/admin-guide/mm/pagemap.rst) */
#define PM_PFN_MASK ((1ULL << 55) - 1)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_UFFD_WP (1ULL << 57)
#define PM_GUARD_REGION (1ULL << 58) /* v6.14 */
#define PM_FILE (1ULL << 61)
#define PM_SWAP (1ULL << 62)
#define PM_PRESENT (1ULL << 63)

#define PT_UNUSED __attribute__((unused))
#define PT_BASE 0x200000000000UL
#define PT_MAX_MMS 16
#define PT_MAX_FILES 8
#define PT_MAX_UFFDS 4	/* userfaultfds per mm: the first one and up to three named ones (`uffd NAME`) */
#define PT_MAX_PINS 8	/* long-term pins held at once per mm */
#define PT_MAX_OWNED 512	/* pages whose registering context a worker remembers (pt_w.owner) */
#define PT_TIMEOUT 60
#define PT_STEP_TIMEOUT 10 /* a call that has not returned after this many seconds is taken to hang */

/* kselftest exit codes */
#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

/* PT_GUARD and PT_IOCTLS are expectations only: they check a PT_PAGEMAP and a PT_OK outcome. */
enum pt_kind {
	PT_NONE, PT_OK, PT_VALUE, PT_USERFAULT_WP, PT_USERFAULT_MISSING, PT_SIGBUS, PT_SIGSEGV, PT_ERRNO, PT_PAGEMAP,
	PT_NOT_RUN, PT_USERFAULT_MINOR, PT_HWPOISON, PT_GUARD, PT_IOCTLS, PT_SIGBUS_OR_HWPOISON, PT_HANG, PT_SCAN,
};

struct pt_outcome {
	int kind;
	int err;
	long long value;
	unsigned long long pagemap;
	bool has_ioctls;		/* UFFDIO_REGISTER's reply */
	unsigned long long ioctls;
	char written[200];	/* PT_SCAN: the pages PAGEMAP_SCAN reported PAGE_IS_WRITTEN, "0, 2" or "none" */
	bool pinned;		/* CMD_LOCATE, CMD_PAGEOUT: this mm holds a long-term pin on the page */
	char why[400];
};

struct pt_expect {
	int kind;
	int err;
	long long value;
	const char *written;	/* PT_SCAN */
};

/* designated initializers: the fields not named are zero (and gcc -Wextra does not warn of them) */
#define EXPECT_NONE ((struct pt_expect){ .kind = PT_NONE })
#define EXPECT_OK ((struct pt_expect){ .kind = PT_OK })
#define EXPECT_VALUE(v) ((struct pt_expect){ .kind = PT_VALUE, .value = (v) })
#define EXPECT_USERFAULT_WP ((struct pt_expect){ .kind = PT_USERFAULT_WP })
#define EXPECT_USERFAULT_MISSING ((struct pt_expect){ .kind = PT_USERFAULT_MISSING })
#define EXPECT_SIGBUS ((struct pt_expect){ .kind = PT_SIGBUS })
#define EXPECT_SIGSEGV ((struct pt_expect){ .kind = PT_SIGSEGV })
#define EXPECT_ERRNO(e) ((struct pt_expect){ .kind = PT_ERRNO, .err = (e) })
#define EXPECT_PAGEMAP(wp) ((struct pt_expect){ .kind = PT_PAGEMAP, .value = (wp) })
#define EXPECT_USERFAULT_MINOR ((struct pt_expect){ .kind = PT_USERFAULT_MINOR })
#define EXPECT_HWPOISON ((struct pt_expect){ .kind = PT_HWPOISON })
#define EXPECT_GUARD(g) ((struct pt_expect){ .kind = PT_GUARD, .value = (g) })
#define EXPECT_HANG ((struct pt_expect){ .kind = PT_HANG })
#define EXPECT_IOCTLS(mask) ((struct pt_expect){ .kind = PT_IOCTLS, .value = (long long)(mask) })
#define EXPECT_WRITTEN(pages) ((struct pt_expect){ .kind = PT_SCAN, .written = (pages) })

/* the range ioctls the scenarios name (UFFD_RANGE_IOCTLS in contract/table.ts); others in the reply are not compared */
#define PT_MODELLED_IOCTLS ((1ULL << _UFFDIO_WAKE) | (1ULL << _UFFDIO_COPY) | (1ULL << _UFFDIO_ZEROPAGE) | \
			    (1ULL << _UFFDIO_MOVE) | (1ULL << _UFFDIO_WRITEPROTECT) | (1ULL << _UFFDIO_CONTINUE))

/* scenario uffd features, as the generated code names them */
#define PT_EVENT_FORK UFFD_FEATURE_EVENT_FORK
#define PT_WP_UNPOPULATED UFFD_FEATURE_WP_UNPOPULATED
#define PT_SIGBUS_FEATURE UFFD_FEATURE_SIGBUS
#define PT_EVENT_REMAP UFFD_FEATURE_EVENT_REMAP
#define PT_MOVE_FEATURE UFFD_FEATURE_MOVE
#define PT_WP_ASYNC UFFD_FEATURE_WP_ASYNC

/* a userfaultfd step through the mm's context `ctx` (0: its first one; a named one: 1..PT_MAX_UFFDS-1) */
#define PT_VIA(mm, ctx) ((mm) | ((ctx) << 8))

/* registration modes, as the generated code names them */
#define PT_MODE_MISSING UFFDIO_REGISTER_MODE_MISSING
#define PT_MODE_WP UFFDIO_REGISTER_MODE_WP
#define PT_MODE_MINOR UFFDIO_REGISTER_MODE_MINOR

enum pt_cmd_op {
	CMD_MMAP_ANON, CMD_MMAP_FILE, CMD_MUNMAP, CMD_UFFD, CMD_REGISTER, CMD_UNREGISTER, CMD_PROTECT,
	CMD_RESOLVE, CMD_READ, CMD_WRITE, CMD_PAGEMAP, CMD_FORK, CMD_EXIT, CMD_CLOSE_UFFD, CMD_MPROTECT,
	CMD_DONTNEED, CMD_PAGEOUT, CMD_MREMAP, CMD_FIND_FILE_PAGE, CMD_LOCATE, CMD_ZAP,
	CMD_GUARD_INSTALL, CMD_GUARD_REMOVE, CMD_HWPOISON, CMD_UFFD_POISON, CMD_UFFD_COPY, CMD_UFFD_ZEROPAGE,
	CMD_UFFD_CONTINUE, CMD_UFFD_WAKE, CMD_UFFD_MOVE, CMD_SCAN, CMD_PIN, CMD_UNPIN, CMD_FILE_PAGE_PINNED,
};

struct pt_cmd {
	int op;
	int uffd;	/* the context a userfaultfd command goes through (PT_VIA) */
	long a, b, c, d;
};

/* ------------------------------------------------------------------------------------------------------------ */
/* state shared by the driver and (by inheritance) the workers */

/* the size of one model page: the base page, or in a hugetlb scenario the huge page (pt_hugetlb) */
static PT_UNUSED long pt_psize;
/* the base page size: pagemap has one entry per base page, mincore one byte */
static PT_UNUSED long pt_bsize;
/* a hugetlb scenario: every file is a hugetlbfs memfd (MFD_HUGETLB) and every model page a huge page */
static PT_UNUSED bool pt_huge;
/*
 * Whether the kernel has CONFIG_MEMORY_FAILURE (the sysctl vm.memory_failure_recovery exists only then). Without it
 * MADV_HWPOISON is EINVAL and the arch fault handler sends VM_FAULT_HWPOISON as a plain SIGBUS (BUS_ADRERR, not
 * BUS_MCEERR_AR: arch/x86/mm/fault.c do_sigbus), so the hwpoison signal cannot be told from SIGBUS.
 */
static PT_UNUSED bool pt_memory_failure;
static PT_UNUSED int pt_files[PT_MAX_FILES];
static PT_UNUSED int pt_nfiles;

static PT_UNUSED char *pt_addr(long page)
{
	return (char *)PT_BASE + page * pt_psize;
}

static PT_UNUSED unsigned long long pt_pagemap_of(const void *p)
{
	unsigned long long e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (off_t)((uintptr_t)p / pt_bsize) * sizeof(e)) != sizeof(e))
		e = 0;
	close(fd);
	return e;
}

static PT_UNUSED const char *pt_errno_name(int e)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
	const char *n = strerrorname_np(e);

	if (n)
		return n;
#endif
	static char buf[32];

	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/*
 * The VMA around page `page` of this mm, from /proc/self/maps: whether it maps one of the scenario's files, which
 * one, and at which file page.  Returns false when nothing is mapped there.
 */
static PT_UNUSED bool pt_vma_at(long page, int *file, long *pgoff)
{
	unsigned long addr = (unsigned long)pt_addr(page), start, end, off, ino;
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	*file = -1;
	*pgoff = -1;
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %*s %lx %*s %lu", &start, &end, &off, &ino) != 4)
			continue;
		if (addr < start || addr >= end)
			continue;
		found = true;
		for (int i = 0; i < pt_nfiles && ino; i++) {
			struct stat st;

			if (fstat(pt_files[i], &st) == 0 && st.st_ino == ino) {
				*file = i;
				*pgoff = (long)(off / pt_psize) + (long)((addr - start) / pt_psize);
			}
		}
		break;
	}
	fclose(f);
	return found;
}

static PT_UNUSED long pt_file_pages(int file)
{
	struct stat st;

	if (fstat(pt_files[file], &st))
		return -1;
	return (long)((st.st_size + pt_psize - 1) / pt_psize);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* messages over a socket, optionally carrying one fd */

static PT_UNUSED int pt_send(int sock, const void *buf, size_t len, int fd)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	char ctl[CMSG_SPACE(sizeof(int))];
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *c;

		memset(ctl, 0, sizeof(ctl));
		msg.msg_control = ctl;
		msg.msg_controllen = sizeof(ctl);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static PT_UNUSED int pt_recv(int sock, void *buf, size_t len, int *fd)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	char ctl[CMSG_SPACE(sizeof(int))];
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	ssize_t n;

	do
		n = recvmsg(sock, &msg, 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len)
		return -1;
	if (fd) {
		*fd = -1;
		c = CMSG_FIRSTHDR(&msg);
		if (c && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* the worker: one mm */

/* one userfaultfd context of an mm */
struct pt_uffd {
	int fd;			/* -1: none */
	int features;		/* as the scenario asked (without the SIGBUS we add) */
	bool in_parent;		/* a child of an EVENT_FORK fork: this context's fd is in the parent */
};

/* a long-term pin: an io_uring instance whose one fixed buffer is the page */
struct pt_pin {
	long page;
	int ring;
	int file;	/* the page-cache page pinned (file -1: an anon page), for reclaim's pinned-folio rule */
	long pgoff;
};

struct pt_worker {
	int sock;
	struct pt_uffd u[PT_MAX_UFFDS];
	int cur;		/* the context the command being run goes through (pt_cmd.uffd) */
	/* which context registered each page (-1: none, or not known): the kernel does not show a VMA's context, and a
	 * SIGBUS is the scenario's own only when that context asked for UFFD_FEATURE_SIGBUS */
	signed char owner[PT_MAX_OWNED];
	int child_ctx[PT_MAX_MMS]; /* contexts of children forked with EVENT_FORK (kept open: closing releases them) */
	int nchild_ctx;
	struct pt_pin pins[PT_MAX_PINS];
	int npins;
};

static struct pt_worker pt_w;

/* the context the current command goes through */
#define PT_UFFD (pt_w.u[pt_w.cur])

static PT_UNUSED void pt_worker_reset(int sock)
{
	memset(&pt_w, 0, sizeof(pt_w));
	pt_w.sock = sock;
	for (int i = 0; i < PT_MAX_UFFDS; i++)
		pt_w.u[i].fd = -1;
	memset(pt_w.owner, -1, sizeof(pt_w.owner));
}

/* pages [page, page + pages) now belong to context `ctx` (-1: to none) */
static PT_UNUSED void pt_set_owner(long page, long pages, int ctx)
{
	for (long i = page < 0 ? 0 : page; i < page + pages && i < PT_MAX_OWNED; i++)
		pt_w.owner[i] = (signed char)ctx;
}

/* the context that registered `page`, as far as this worker knows (-1: none, or not known) */
static PT_UNUSED int pt_owner(long page)
{
	return page >= 0 && page < PT_MAX_OWNED ? pt_w.owner[page] : -1;
}
static sigjmp_buf pt_jmp;
static volatile sig_atomic_t pt_signal;

static volatile sig_atomic_t pt_si_code;

static PT_UNUSED void pt_fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	pt_signal = sig;
	pt_si_code = si ? si->si_code : 0;
	siglongjmp(pt_jmp, 1);
}

static PT_UNUSED void pt_worker_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = pt_fault_handler;
	sa.sa_flags = SA_NODEFER | SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	signal(SIGCHLD, SIG_IGN); /* children reap themselves */
	signal(SIGALRM, SIG_DFL);
}

static PT_UNUSED void pt_result_errno(struct pt_outcome *o, int ret)
{
	if (ret == 0) {
		o->kind = PT_OK;
	} else {
		o->kind = PT_ERRNO;
		o->err = errno;
	}
}

static PT_UNUSED void pt_not_run(struct pt_outcome *o, const char *fmt, ...)
{
	va_list ap;

	o->kind = PT_NOT_RUN;
	va_start(ap, fmt);
	vsnprintf(o->why, sizeof(o->why), fmt, ap);
	va_end(ap);
}

static PT_UNUSED int pt_uffd_range(unsigned long req, long page, long pages, unsigned long long mode)
{
	if (req == UFFDIO_UNREGISTER) {
		struct uffdio_range r = { (uintptr_t)pt_addr(page), pages * pt_psize };

		return ioctl(PT_UFFD.fd, UFFDIO_UNREGISTER, &r);
	}
	struct uffdio_writeprotect wp = { .range = { (uintptr_t)pt_addr(page), pages * pt_psize }, .mode = mode };

	return ioctl(PT_UFFD.fd, UFFDIO_WRITEPROTECT, &wp);
}

static PT_UNUSED void pt_uffd_open(struct pt_outcome *o, int features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = (unsigned long long)features | UFFD_FEATURE_SIGBUS };
	int fd = (int)syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK); /* poll() needs O_NONBLOCK */

	if (fd < 0 && errno == EPERM)
		fd = (int)syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	if (fd < 0) {
		pt_result_errno(o, -1);
		return;
	}
	if (ioctl(fd, UFFDIO_API, &api)) {
		pt_result_errno(o, -1);
		close(fd);
		return;
	}
	if (PT_UFFD.fd >= 0)
		close(PT_UFFD.fd);
	PT_UFFD.fd = fd;
	PT_UFFD.features = features;
	PT_UFFD.in_parent = false;
	o->kind = PT_OK;
}

/*
 * The VmFlags of the VMA around page `page` (/proc/self/smaps): whether it is registered in each userfaultfd mode
 * ("um" VM_UFFD_MISSING, "uw" VM_UFFD_WP, "ui" VM_UFFD_MINOR; fs/proc/task_mmu.c). Returns a PT_MODE_* mask.
 */
static PT_UNUSED unsigned long pt_vma_uffd_modes(long page)
{
	unsigned long addr = (unsigned long)pt_addr(page), start, end, modes = 0;
	bool inside = false;
	char line[512];
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			inside = addr >= start && addr < end;
			continue;
		}
		if (!inside || strncmp(line, "VmFlags:", 8))
			continue;
		for (char *tok = strtok(line + 8, " \n"); tok; tok = strtok(NULL, " \n")) {
			if (!strcmp(tok, "um"))
				modes |= PT_MODE_MISSING;
			else if (!strcmp(tok, "uw"))
				modes |= PT_MODE_WP;
			else if (!strcmp(tok, "ui"))
				modes |= PT_MODE_MINOR;
		}
		break;
	}
	fclose(f);
	return modes;
}

/*
 * How many huge pages hugetlbfs file `file` holds in its page cache: hugetlbfs counts them in i_blocks
 * (hugetlb_add_to_page_cache() adds blocks_per_huge_page, removal takes them off), and mincore() cannot tell: on a
 * hugetlb VMA it reports the entry, not the page cache (mincore_hugetlb).
 */
static PT_UNUSED long pt_hugetlb_cached(int file)
{
	struct stat st;

	if (fstat(pt_files[file], &st))
		return -1;
	return (long)(st.st_blocks * 512 / pt_psize);
}

/* whether page `page` of this mm is in the page cache (mincore of its first base page), mapped or not */
static PT_UNUSED bool pt_in_page_cache(long page)
{
	unsigned char vec = 0;

	return mincore(pt_addr(page), pt_bsize, &vec) == 0 && (vec & 1);
}

/*
 * What a SIGBUS on an access to `page` was. The kernel sends BUS_MCEERR_AR for VM_FAULT_HWPOISON (a poisoned page
 * or marker). Beyond the end of a file it is the ordinary SIGBUS. Otherwise it is the userfault SIGBUS of the
 * UFFD_FEATURE_SIGBUS every context is opened with (unless the scenario asked for that feature itself: then SIGBUS
 * is what it expects), and the fault's mode is read back from the state the fault left: a write to an entry
 * pagemap shows as uffd-wp in a VM_UFFD_WP VMA is a WP fault; on a non-present entry, a page-cache page in a
 * VM_UFFD_MINOR VMA is a MINOR fault, else a VM_UFFD_MISSING VMA gives a MISSING fault (handle_userfault's
 * reasons in mm/memory.c and mm/shmem.c, v6.17).
 */
/* the features of the context a fault at `page` goes to: the one that registered it, else the mm's first */
static PT_UNUSED int pt_fault_features(long page)
{
	int o = pt_owner(page);

	return pt_w.u[o >= 0 ? o : 0].features;
}

/*
 * Whether the huge page at `page` has a non-present entry that is not none (a PTE marker: pagemap_hugetlb_range shows
 * only its uffd-wp bit). PAGEMAP_SCAN (v6.7) tells: pagemap_hugetlb_category() gives PAGE_IS_SWAPPED to any such
 * entry, and hugetlb pages never go to swap. Read-only: no PM_SCAN_WP_MATCHING.
 */
static PT_UNUSED bool pt_hugetlb_marker(long page)
{
	struct page_region r;
	struct pm_scan_arg a;
	long n;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return false;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.start = (uintptr_t)pt_addr(page);
	a.end = (uintptr_t)pt_addr(page + 1);
	a.vec = (uintptr_t)&r;
	a.vec_len = 1;
	a.category_mask = PAGE_IS_SWAPPED;
	a.return_mask = PAGE_IS_SWAPPED;
	n = ioctl(fd, PAGEMAP_SCAN, &a);
	close(fd);
	return n == 1;
}

static PT_UNUSED int pt_classify_sigbus(long page, bool write)
{
	int file;
	long pgoff;
	unsigned long modes;
	unsigned long long pm;

	if (pt_si_code == BUS_MCEERR_AR)
		return PT_HWPOISON;
	if (pt_vma_at(page, &file, &pgoff) && file >= 0 && pgoff >= pt_file_pages(file))
		return PT_SIGBUS;
	if (pt_fault_features(page) & UFFD_FEATURE_SIGBUS)
		return PT_SIGBUS;
	modes = pt_vma_uffd_modes(page);
	pm = pt_pagemap_of(pt_addr(page));
	if (write && (pm & PM_UFFD_WP) && (modes & PT_MODE_WP))
		return PT_USERFAULT_WP;
	/* a hugetlb PTE marker without uffd-wp is a poison marker (UFFDIO_POISON): hugetlb_fault() answers it with
	 * VM_FAULT_HWPOISON_LARGE, never a userfault */
	if (!(pm & PM_PRESENT) && !(pm & PM_UFFD_WP) && pt_huge && pt_hugetlb_marker(page))
		return pt_memory_failure ? PT_SIGBUS : PT_SIGBUS_OR_HWPOISON;
	if (!(pm & PM_PRESENT) && pt_huge && file >= 0 && (modes & PT_MODE_MINOR)) {
		/* hugetlb_no_page(): a folio in the page cache gives VM_UFFD_MINOR, a hole VM_UFFD_MISSING (or, without
		 * it, a new folio, no fault): with MINOR alone every userfault here is minor; with both, the file's cached
		 * page count decides when it is all or nothing */
		long cached = pt_hugetlb_cached(file);

		if (!(modes & PT_MODE_MISSING) || cached == pt_file_pages(file))
			return PT_USERFAULT_MINOR;
		if (cached == 0)
			return PT_USERFAULT_MISSING;
	}
	if (!(pm & PM_PRESENT)) {
		if ((modes & PT_MODE_MINOR) && file >= 0 && pt_in_page_cache(page))
			return PT_USERFAULT_MINOR;
		if (modes & PT_MODE_MISSING)
			return PT_USERFAULT_MISSING;
	}
	return pt_memory_failure ? PT_SIGBUS : PT_SIGBUS_OR_HWPOISON;
}

static PT_UNUSED void pt_access(struct pt_outcome *o, long page, bool write, long long value)
{
	volatile long long *p = (volatile long long *)pt_addr(page);

	pt_signal = 0;
	pt_si_code = 0;
	if (sigsetjmp(pt_jmp, 1) == 0) {
		if (write) {
			*p = value;
			o->kind = PT_OK;
		} else {
			o->value = *p;
			o->kind = PT_VALUE;
		}
		return;
	}
	if (pt_signal == SIGSEGV)
		o->kind = PT_SIGSEGV;
	else
		o->kind = pt_classify_sigbus(page, write);
}

/* the child side of fork: close what belongs to the parent, then serve the child's own socket */
static PT_UNUSED void pt_worker_loop(void);

struct pt_forker {
	int sock;
	pid_t pid;
};

static PT_UNUSED void pt_become_child(int sock)
{
	close(pt_w.sock);
	/* dup_userfaultfd(): a context with EVENT_FORK gives the child one of its own (its fd is read by the parent);
	 * the VMAs of the others leave their context in the child */
	for (int i = 0; i < PT_MAX_UFFDS; i++) {
		struct pt_uffd *u = &pt_w.u[i];
		bool kept = u->fd >= 0 && (u->features & UFFD_FEATURE_EVENT_FORK);

		if (u->fd >= 0)
			close(u->fd);
		u->fd = -1;
		u->in_parent = kept;
		for (long p = 0; p < PT_MAX_OWNED && !kept; p++)
			if (pt_w.owner[p] == i)
				pt_w.owner[p] = -1;
	}
	for (int i = 0; i < pt_w.nchild_ctx; i++)
		close(pt_w.child_ctx[i]);
	pt_w.nchild_ctx = 0;
	/* the parent's pins stay the parent's: its io_uring instances are not the child's to release */
	for (int i = 0; i < pt_w.npins; i++)
		close(pt_w.pins[i].ring);
	pt_w.npins = 0;
	pt_w.sock = sock;
	pt_worker_signals();
	pt_worker_loop();
	_exit(0);
}

static PT_UNUSED void *pt_fork_thread(void *arg)
{
	struct pt_forker *f = arg;

	f->pid = fork();
	if (f->pid == 0)
		pt_become_child(f->sock);
	return NULL;
}

static PT_UNUSED void pt_fork(struct pt_outcome *o, int sock)
{
	struct pt_forker f = { .sock = sock, .pid = -1 };
	struct pollfd pfd[PT_MAX_UFFDS];
	int nfd = 0;

	for (int i = 0; i < PT_MAX_UFFDS; i++)
		if (pt_w.u[i].fd >= 0 && (pt_w.u[i].features & UFFD_FEATURE_EVENT_FORK))
			pfd[nfd++] = (struct pollfd){ .fd = pt_w.u[i].fd, .events = POLLIN };
	if (nfd > 0) {
		/* fork() waits until the UFFD_EVENT_FORK message of every such context is read: fork from a thread,
		 * read them here */
		struct uffd_msg msg;
		pthread_t t;

		if (pthread_create(&t, NULL, pt_fork_thread, &f)) {
			pt_result_errno(o, -1);
			close(sock);
			return;
		}
		/*
		 * No event comes from a context no VMA is registered with: fork() returns when the events that do come
		 * are read, which pthread_tryjoin_np() notices.
		 */
		for (bool joined = false; !joined;) {
			if (poll(pfd, (nfds_t)nfd, 20) > 0) {
				for (int k = 0; k < nfd; k++)
					if ((pfd[k].revents & POLLIN) && read(pfd[k].fd, &msg, sizeof(msg)) == sizeof(msg) &&
					    msg.event == UFFD_EVENT_FORK && pt_w.nchild_ctx < PT_MAX_MMS)
						pt_w.child_ctx[pt_w.nchild_ctx++] = (int)msg.arg.fork.ufd;
			}
			joined = pthread_tryjoin_np(t, NULL) == 0;
		}
	} else {
		f.pid = fork();
		if (f.pid == 0)
			pt_become_child(sock);
	}
	close(sock);
	if (f.pid < 0) {
		pt_result_errno(o, -1);
		return;
	}
	o->kind = PT_OK;
	o->value = f.pid;
}

/* where this mm maps page `pgoff` of file `file` as a present page-cache page, the `skip`-th such place from the
 * lowest address (-1: nowhere) */
static PT_UNUSED long pt_find_file_page(int file, long pgoff, long skip)
{
	unsigned long start, end, off, ino;
	char line[512];
	long found = -1;
	struct stat st;
	FILE *f;

	if (fstat(pt_files[file], &st))
		return -1;
	f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %*s %lx %*s %lu", &start, &end, &off, &ino) != 4 || ino != st.st_ino)
			continue;
		if (start < PT_BASE)
			continue;
		long first = (long)(off / pt_psize), n = (long)((end - start) / pt_psize);

		if (pgoff < first || pgoff >= first + n)
			continue;
		char *p = (char *)start + (pgoff - first) * pt_psize;
		unsigned long long e = pt_pagemap_of(p);

		if ((e & PM_PRESENT) && (e & PM_FILE) && skip-- == 0)
			found = (long)(((uintptr_t)p - PT_BASE) / pt_psize);
	}
	fclose(f);
	return found;
}

/* whether this mm has a userfaultfd of its own to call; if not, the outcome says why */
static PT_UNUSED bool pt_have_uffd(struct pt_outcome *o)
{
	if (PT_UFFD.fd < 0 && PT_UFFD.in_parent) {
		pt_not_run(o, "this child's userfaultfd came with UFFD_EVENT_FORK and is held by its parent");
		return false;
	}
	if (PT_UFFD.fd < 0) {
		o->kind = PT_ERRNO;
		o->err = EBADF;
		return false;
	}
	return true;
}

/* UFFDIO_REGISTER in the given modes; the reply's range ioctls go into the outcome */
static PT_UNUSED void pt_register(struct pt_outcome *o, long page, long pages, unsigned long long modes)
{
	struct uffdio_register r = { .range = { (uintptr_t)pt_addr(page), pages * pt_psize }, .mode = modes };

	pt_result_errno(o, ioctl(PT_UFFD.fd, UFFDIO_REGISTER, &r));
	if (o->kind == PT_OK) {
		o->has_ioctls = true;
		o->ioctls = r.ioctls;
		pt_set_owner(page, pages, pt_w.cur);
	}
}

/*
 * The resolving ioctls: UFFDIO_POISON, COPY (c: the value the source page holds at offset 0), ZEROPAGE, CONTINUE
 * and WAKE over pages [a, a+b); d: the ioctl's mode bits as the scenario gave them (MODE_WP is passed to ZEROPAGE
 * too when a scenario asks for it, and the kernel answers as it does).
 */
static PT_UNUSED void pt_uffd_fill(struct pt_outcome *o, const struct pt_cmd *c)
{
	struct uffdio_range range = { (uintptr_t)pt_addr(c->a), c->b * pt_psize };
	int ret;

	switch (c->op) {
	case CMD_UFFD_POISON: {
		struct uffdio_poison u = { .range = range, .mode = (__u64)c->d };

		ret = ioctl(PT_UFFD.fd, UFFDIO_POISON, &u);
		break;
	}
	case CMD_UFFD_COPY: {
		char *src = mmap(NULL, c->b * pt_psize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct uffdio_copy u = { .dst = range.start, .len = range.len, .mode = (__u64)c->d };

		if (src == MAP_FAILED) {
			ret = -1;
			break;
		}
		for (long i = 0; i < c->b; i++)
			*(long long *)(src + i * pt_psize) = c->c;
		u.src = (uintptr_t)src;
		ret = ioctl(PT_UFFD.fd, UFFDIO_COPY, &u);
		munmap(src, c->b * pt_psize);
		break;
	}
	case CMD_UFFD_ZEROPAGE: {
		struct uffdio_zeropage u = { .range = range, .mode = (__u64)c->d };

		ret = ioctl(PT_UFFD.fd, UFFDIO_ZEROPAGE, &u);
		break;
	}
	case CMD_UFFD_CONTINUE: {
		struct uffdio_continue u = { .range = range, .mode = (__u64)c->d };

		ret = ioctl(PT_UFFD.fd, UFFDIO_CONTINUE, &u);
		break;
	}
	case CMD_UFFD_MOVE: {
		/* UFFDIO_MOVE (v6.8) of pages [c, c+b) to [a, a+b); a short move is -EAGAIN, as the scenario states it */
		struct uffdio_move u = { .dst = range.start, .src = (uintptr_t)pt_addr(c->c), .len = range.len,
					 .mode = (__u64)c->d };

		ret = ioctl(PT_UFFD.fd, UFFDIO_MOVE, &u);
		break;
	}
	default:
		ret = ioctl(PT_UFFD.fd, UFFDIO_WAKE, &range);
	}
	pt_result_errno(o, ret);
}

struct pt_remapper {
	const struct pt_cmd *c;
	void *ret;
	int err;
};

/* d: 0 move, 1 move with MREMAP_DONTUNMAP, 2 shrink in place to c pages */
static PT_UNUSED void *pt_do_mremap(void *arg)
{
	struct pt_remapper *m = arg;
	const struct pt_cmd *c = m->c;

	if (c->d == 2)
		m->ret = mremap(pt_addr(c->a), c->b * pt_psize, c->c * pt_psize, 0);
	else
		m->ret = mremap(pt_addr(c->a), c->b * pt_psize, c->b * pt_psize,
				MREMAP_MAYMOVE | MREMAP_FIXED | (c->d == 1 ? MREMAP_DONTUNMAP : 0), pt_addr(c->c));
	m->err = errno;
	return NULL;
}

static PT_UNUSED void pt_mremap(struct pt_outcome *o, const struct pt_cmd *c)
{
	struct pt_remapper m = { .c = c };
	int own = pt_owner(c->a);
	struct pt_uffd *u = &pt_w.u[own >= 0 ? own : 0]; /* the context of the VMA that moves */

	if (u->fd < 0 && u->in_parent && (u->features & UFFD_FEATURE_EVENT_REMAP)) {
		/* mremap() would wait for the parent to read UFFD_EVENT_REMAP from this child's context */
		pt_not_run(o, "this child's userfaultfd came with UFFD_EVENT_FORK and is held by its parent: the driver does "
			   "not read the child's UFFD_EVENT_REMAP there");
		return;
	}
	if (u->fd >= 0 && (u->features & UFFD_FEATURE_EVENT_REMAP)) {
		/* mremap() waits until the UFFD_EVENT_REMAP message is read (userfaultfd_event_wait_completion):
		 * move from a thread, read it here; no event comes when the range is not registered */
		struct uffd_msg msg;
		pthread_t t;

		if (pthread_create(&t, NULL, pt_do_mremap, &m)) {
			pt_result_errno(o, -1);
			return;
		}
		for (bool joined = false; !joined;) {
			struct pollfd pfd = { .fd = u->fd, .events = POLLIN };

			if (poll(&pfd, 1, 20) == 1 && read(u->fd, &msg, sizeof(msg)) == sizeof(msg) &&
			    msg.event == UFFD_EVENT_REMAP) {
				pthread_join(t, NULL);
				break;
			}
			joined = pthread_tryjoin_np(t, NULL) == 0;
		}
	} else {
		pt_do_mremap(&m);
	}
	errno = m.err;
	pt_result_errno(o, m.ret == MAP_FAILED ? -1 : 0);
	if (o->kind == PT_OK && c->d != 2) {
		/* the registration moves with the VMA only when its context has EVENT_REMAP (mremap_userfaultfd_prep) */
		signed char moved[PT_MAX_OWNED];
		long n = c->b < PT_MAX_OWNED ? c->b : PT_MAX_OWNED;

		for (long i = 0; i < n; i++) {
			int ctx = pt_owner(c->a + i);

			moved[i] = (signed char)(ctx >= 0 && (pt_w.u[ctx].features & UFFD_FEATURE_EVENT_REMAP) ? ctx : -1);
		}
		if (c->d == 0)
			pt_set_owner(c->a, c->b, -1);
		for (long i = 0; i < n; i++)
			pt_set_owner(c->c + i, 1, moved[i]);
	}
}

/*
 * PAGEMAP_SCAN (v6.7) over pages [page, page + pages), asking what pagemap_ioctl.c asks: category_mask =
 * return_mask = PAGE_IS_WRITTEN; flags: PM_SCAN_WP_MATCHING and/or PM_SCAN_CHECK_WPASYNC. The reported regions
 * become the list of written pages; a full output buffer is continued from walk_end.
 */
static PT_UNUSED void pt_scan(struct pt_outcome *o, long page, long pages, unsigned long long flags)
{
	enum { PT_SCAN_VEC = 64 };
	struct page_region vec[PT_SCAN_VEC];
	struct pm_scan_arg a;
	unsigned long end = (unsigned long)pt_addr(page + pages);
	size_t n = 0;
	long ret;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0) {
		pt_result_errno(o, -1);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = flags;
	a.start = (uintptr_t)pt_addr(page);
	a.end = end;
	a.vec = (uintptr_t)vec;
	a.vec_len = PT_SCAN_VEC;
	a.category_mask = PAGE_IS_WRITTEN;
	a.return_mask = PAGE_IS_WRITTEN;
	o->written[0] = 0;
	for (;;) {
		ret = ioctl(fd, PAGEMAP_SCAN, &a);
		if (ret < 0) {
			pt_result_errno(o, -1);
			close(fd);
			return;
		}
		for (long i = 0; i < ret; i++)
			for (unsigned long long p = vec[i].start; p < vec[i].end && n < sizeof(o->written); p += pt_psize)
				n += (size_t)snprintf(o->written + n, sizeof(o->written) - n, "%s%lld", n ? ", " : "",
						      (long long)((p - PT_BASE) / pt_psize));
		if (ret < PT_SCAN_VEC || a.walk_end >= end)
			break;
		a.start = a.walk_end;
	}
	close(fd);
	if (!n)
		snprintf(o->written, sizeof(o->written), "none");
	o->kind = PT_SCAN;
}

/* the permissions of the VMA around `page` from /proc/self/maps: "rw-p" and the like ("" when nothing is mapped) */
static PT_UNUSED void pt_vma_perms(long page, char perms[5])
{
	unsigned long addr = (unsigned long)pt_addr(page), start, end;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	perms[0] = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 && addr >= start && addr < end)
			break;
		else
			perms[0] = 0;
	if (f)
		fclose(f);
}

/*
 * A long-term pin of one page. Without CONFIG_GUP_TEST (no /sys/kernel/debug/gup_test, the read-only
 * PIN_LONGTERM_TEST_START the scenarios name) the one long-term pin user space can take is io_uring's: an instance
 * whose one fixed buffer (IORING_REGISTER_BUFFERS) is the page, pinned with FOLL_WRITE | FOLL_LONGTERM until
 * IORING_UNREGISTER_BUFFERS (the selftests' cow.c pins the same way). That pin is a write: where a read-only pin
 * would not fault (a uffd-wp page or marker, a read-only VMA) the step is not run. A fault GUP could not resolve is
 * -EFAULT; in a VMA the pin may read it was the userfault (or SIGBUS) a read would see, and is reported as that.
 */
static PT_UNUSED void pt_pin(struct pt_outcome *o, long page)
{
#ifdef PT_HAVE_IO_URING
	struct iovec iov = { .iov_base = pt_addr(page), .iov_len = (size_t)pt_psize };
	struct io_uring_params params;
	char perms[5];
	int ring;

	pt_vma_perms(page, perms);
	if (pt_w.npins == PT_MAX_PINS) {
		pt_not_run(o, "more than %d pins at once in one mm", PT_MAX_PINS);
		return;
	}
	if (pt_pagemap_of(pt_addr(page)) & PM_UFFD_WP) {
		pt_not_run(o, "the page is uffd-wp: io_uring's long-term pin is a write (FOLL_WRITE), which faults where "
			   "the read-only pin of the scenario does not (that one needs CONFIG_GUP_TEST)");
		return;
	}
	if (perms[0] == 'r' && perms[1] != 'w') {
		pt_not_run(o, "the VMA is read-only: io_uring's long-term pin is a write (FOLL_WRITE), refused where the "
			   "read-only pin of the scenario is not (that one needs CONFIG_GUP_TEST)");
		return;
	}
	memset(&params, 0, sizeof(params));
	ring = (int)syscall(__NR_io_uring_setup, 1, &params);
	if (ring < 0) {
		pt_not_run(o, "io_uring_setup: %s (no long-term pin without io_uring or CONFIG_GUP_TEST)", strerror(errno));
		return;
	}
	if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS, &iov, 1)) {
		int e = errno;

		close(ring);
		if (e == EFAULT && perms[0] == 'r') {
			pt_si_code = 0;
			o->kind = pt_classify_sigbus(page, true);
		} else {
			o->kind = PT_ERRNO;
			o->err = e;
		}
		return;
	}
	{
		int file = -1;
		long pgoff = -1;

		/* a MAP_PRIVATE COW copy is anon: only a page-cache page the PTE maps counts as the file's */
		if (!pt_vma_at(page, &file, &pgoff) || !(pt_pagemap_of(pt_addr(page)) & PM_FILE))
			file = -1;
		pt_w.pins[pt_w.npins++] = (struct pt_pin){ .page = page, .ring = ring, .file = file, .pgoff = pgoff };
	}
	o->kind = PT_OK;
#else
	(void)page;
	pt_not_run(o, "no <linux/io_uring.h> at build time: no long-term pin without io_uring or CONFIG_GUP_TEST");
#endif
}

/* the pin taken at `page` goes: IORING_UNREGISTER_BUFFERS unpins the page, then the instance is closed */
static PT_UNUSED void pt_unpin(struct pt_outcome *o, long page)
{
#ifdef PT_HAVE_IO_URING
	for (int i = 0; i < pt_w.npins; i++) {
		if (pt_w.pins[i].page != page)
			continue;
		pt_result_errno(o, (int)syscall(__NR_io_uring_register, pt_w.pins[i].ring, IORING_UNREGISTER_BUFFERS, NULL, 0));
		close(pt_w.pins[i].ring);
		pt_w.pins[i] = pt_w.pins[--pt_w.npins];
		return;
	}
#endif
	pt_not_run(o, "no pin was taken at page %ld", page);
}

static PT_UNUSED bool pt_pinned(long page)
{
	for (int i = 0; i < pt_w.npins; i++)
		if (pt_w.pins[i].page == page)
			return true;
	return false;
}

static PT_UNUSED void pt_worker_do(const struct pt_cmd *c, int fd, struct pt_outcome *o)
{
	int prot = PROT_READ | PROT_WRITE, flags, ret;
	void *p;

	memset(o, 0, sizeof(*o));
	pt_w.cur = c->uffd >= 0 && c->uffd < PT_MAX_UFFDS ? c->uffd : 0;
	switch (c->op) {
	case CMD_MMAP_ANON:
		p = mmap(pt_addr(c->a), c->b * pt_psize, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		pt_result_errno(o, p == MAP_FAILED ? -1 : 0);
		pt_set_owner(c->a, c->b, -1);
		break;
	case CMD_MMAP_FILE:
		flags = ((c->d >> 8) ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED;
		p = mmap(pt_addr(c->a), c->b * pt_psize, prot, flags, pt_files[c->d & 0xff], c->c * pt_psize);
		pt_result_errno(o, p == MAP_FAILED ? -1 : 0);
		pt_set_owner(c->a, c->b, -1);
		break;
	case CMD_MUNMAP:
		pt_result_errno(o, munmap(pt_addr(c->a), c->b * pt_psize));
		pt_set_owner(c->a, c->b, -1);
		break;
	case CMD_UFFD:
		pt_uffd_open(o, (int)c->a);
		break;
	case CMD_REGISTER:
		if (!pt_have_uffd(o))
			break;
		pt_register(o, c->a, c->b, (unsigned long long)c->c);
		break;
	case CMD_UNREGISTER:
	case CMD_PROTECT:
	case CMD_RESOLVE:
		if (!pt_have_uffd(o))
			break;
		ret = pt_uffd_range(c->op == CMD_UNREGISTER ? UFFDIO_UNREGISTER : UFFDIO_WRITEPROTECT, c->a, c->b,
				    c->op == CMD_PROTECT ? UFFDIO_WRITEPROTECT_MODE_WP : 0);
		pt_result_errno(o, ret);
		if (ret == 0 && c->op == CMD_UNREGISTER)
			pt_set_owner(c->a, c->b, -1);
		break;
	case CMD_UFFD_POISON:
	case CMD_UFFD_COPY:
	case CMD_UFFD_ZEROPAGE:
	case CMD_UFFD_CONTINUE:
	case CMD_UFFD_WAKE:
	case CMD_UFFD_MOVE:
		if (!pt_have_uffd(o))
			break;
		pt_uffd_fill(o, c);
		break;
	case CMD_GUARD_INSTALL:
		pt_result_errno(o, madvise(pt_addr(c->a), c->b * pt_psize, MADV_GUARD_INSTALL));
		break;
	case CMD_GUARD_REMOVE:
		pt_result_errno(o, madvise(pt_addr(c->a), c->b * pt_psize, MADV_GUARD_REMOVE));
		break;
	case CMD_HWPOISON:
		/* a memory failure is a kernel event: without CONFIG_MEMORY_FAILURE it cannot be forced */
		ret = madvise(pt_addr(c->a), c->b * pt_psize, MADV_HWPOISON);
		if (ret && errno == EINVAL && !pt_memory_failure)
			pt_not_run(o, "this kernel has no CONFIG_MEMORY_FAILURE: MADV_HWPOISON is EINVAL");
		else
			pt_result_errno(o, ret);
		break;
	case CMD_READ:
		pt_access(o, c->a, false, 0);
		break;
	case CMD_WRITE:
		pt_access(o, c->a, true, c->b);
		break;
	case CMD_PAGEMAP:
		o->kind = PT_PAGEMAP;
		o->pagemap = pt_pagemap_of(pt_addr(c->a));
		break;
	case CMD_FORK:
		if (fd < 0) {
			pt_not_run(o, "no socket for the child");
			break;
		}
		pt_fork(o, fd);
		break;
	case CMD_EXIT:
		o->kind = PT_OK;
		break;
	case CMD_CLOSE_UFFD:
		if (!pt_have_uffd(o))
			break;
		pt_result_errno(o, close(PT_UFFD.fd));
		PT_UFFD.fd = -1;
		/* userfaultfd_release_all(): the VMAs of this context, and only those, are unregistered */
		for (long i = 0; i < PT_MAX_OWNED; i++)
			if (pt_w.owner[i] == pt_w.cur)
				pt_w.owner[i] = -1;
		break;
	case CMD_SCAN:
		pt_scan(o, c->a, c->b, (unsigned long long)c->c);
		break;
	case CMD_PIN:
		pt_pin(o, c->a);
		break;
	case CMD_UNPIN:
		pt_unpin(o, c->a);
		break;
	case CMD_MPROTECT:
		/* c: 0 PROT_READ, 1 PROT_READ|PROT_WRITE, 2 PROT_NONE */
		pt_result_errno(o, mprotect(pt_addr(c->a), c->b * pt_psize, c->c == 2 ? PROT_NONE : c->c ? prot : PROT_READ));
		break;
	case CMD_DONTNEED:
	case CMD_ZAP:
		pt_result_errno(o, madvise(pt_addr(c->a), c->b * pt_psize, MADV_DONTNEED));
		break;
	case CMD_PAGEOUT: {
		/* value: the first page of the range that was present before and still is after (-1: none) */
		unsigned long long before[64];
		long n = c->b < 64 ? c->b : 64;

		for (long i = 0; i < n; i++)
			before[i] = pt_pagemap_of(pt_addr(c->a + i));
		pt_result_errno(o, madvise(pt_addr(c->a), c->b * pt_psize, MADV_PAGEOUT));
		o->pagemap = pt_pagemap_of(pt_addr(c->a));
		o->pinned = pt_pinned(c->a);
		o->value = -1;
		for (long i = 0; i < n && o->value < 0; i++)
			if ((before[i] & PM_PRESENT) && (pt_pagemap_of(pt_addr(c->a + i)) & PM_PRESENT))
				o->value = c->a + i;
		break;
	}
	case CMD_MREMAP:
		pt_mremap(o, c);
		break;
	case CMD_FIND_FILE_PAGE:
		o->kind = PT_VALUE;
		o->value = pt_find_file_page((int)c->a, c->b, c->c);
		break;
	case CMD_FILE_PAGE_PINNED:
		o->kind = PT_VALUE;
		o->value = 0;
		for (int i = 0; i < pt_w.npins; i++)
			if (pt_w.pins[i].file == (int)c->a && pt_w.pins[i].pgoff == c->b)
				o->value = 1;
		break;
	case CMD_LOCATE: {
		int file;
		long pgoff;

		o->kind = PT_VALUE;
		o->pagemap = pt_pagemap_of(pt_addr(c->a));
		o->pinned = pt_pinned(c->a);
		o->value = -1;
		if (pt_vma_at(c->a, &file, &pgoff) && file >= 0 && (o->pagemap & PM_FILE))
			o->value = ((long long)file << 32) | pgoff;
		break;
	}
	default:
		pt_not_run(o, "unknown command %d", c->op);
	}
}

static PT_UNUSED void pt_worker_loop(void)
{
	struct pt_cmd c;
	struct pt_outcome o;
	int fd;

	while (pt_recv(pt_w.sock, &c, sizeof(c), &fd) == 0) {
		pt_worker_do(&c, fd, &o);
		if (pt_send(pt_w.sock, &o, sizeof(o), -1))
			break;
		if (c.op == CMD_EXIT)
			break;
	}
	_exit(0);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* the driver */

struct pt_mm {
	const char *name;
	int sock;	/* -1: not created or exited */
	pid_t pid;
};

struct pt_test {
	const char *name;
	struct pt_mm mms[PT_MAX_MMS];
	int nsteps;
	int passed, failed, not_run;
	/* the first kernel event that did not happen: every later step is "not run" */
	int broken_step;
	char broken_why[400];
	const char *swapfile;
};

static struct pt_test *pt_current;

static PT_UNUSED void pt_kill_all(struct pt_test *t)
{
	for (int i = 0; i < PT_MAX_MMS; i++) {
		if (t->mms[i].pid > 0)
			kill(t->mms[i].pid, SIGKILL);
		if (t->mms[i].sock >= 0)
			close(t->mms[i].sock);
		t->mms[i].sock = -1;
	}
}

static PT_UNUSED void pt_timeout(int sig)
{
	(void)sig;
	if (pt_current)
		pt_kill_all(pt_current);
	printf("not ok 1 %s # timed out after %d s (a fault blocked?)\n", pt_current ? pt_current->name : "?",
	       PT_TIMEOUT);
	fflush(stdout);
	_exit(KSFT_FAIL);
}

/*
 * Every process of the test on one CPU: a page a worker just faulted in sits in that CPU's LRU batch until it is
 * drained, and MADV_PAGEOUT, which drains only the calling CPU's batch, skips pages that are not on an LRU list yet.
 */
static PT_UNUSED void pt_pin_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static PT_UNUSED void pt_init(struct pt_test *t, const char *name, int nsteps)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->nsteps = nsteps;
	t->broken_step = -1;
	t->swapfile = getenv("PTELAB_SWAPFILE");
	for (int i = 0; i < PT_MAX_MMS; i++)
		t->mms[i].sock = -1;
	pt_psize = pt_bsize = sysconf(_SC_PAGESIZE);
	pt_memory_failure = access("/proc/sys/vm/memory_failure_recovery", F_OK) == 0;
	pt_current = t;
	pt_pin_cpu();
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, pt_timeout);
	signal(SIGPIPE, SIG_IGN);
	alarm(PT_TIMEOUT);
	printf("TAP version 13\n1..1\n");
	printf("# %s\n", name);
}

/* a file of the scenario: a shmem memfd, or in a hugetlb scenario a hugetlbfs one (MFD_HUGETLB) of huge pages */
static PT_UNUSED void pt_file(struct pt_test *t, int file, long pages)
{
	int fd = memfd_create("ptelab", MFD_CLOEXEC | (pt_huge ? MFD_HUGETLB : 0));

	(void)t;
	if (fd < 0 || ftruncate(fd, pages * pt_psize)) {
		printf("Bail out! memfd_create%s/ftruncate: %s\n", pt_huge ? "(MFD_HUGETLB)" : "", strerror(errno));
		exit(KSFT_FAIL);
	}
	pt_files[file] = fd;
	if (file >= pt_nfiles)
		pt_nfiles = file + 1;
}

/* a number from /proc/meminfo ("Hugepagesize:", "HugePages_Free:"), -1 if absent */
static PT_UNUSED long pt_meminfo(const char *key)
{
	char line[256];
	long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && sscanf(line + n, " %ld", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/*
 * A hugetlb scenario (a `file ... hugetlb`): every model page is one huge page of the default size (Hugepagesize;
 * the model's abstraction, docs/runtime.md), so page index a lives at PT_BASE + a * that size, aligned as hugetlb
 * VMAs must be, and every range (mmap, madvise, the uffd ioctls, mremap) covers whole huge pages. The test needs
 * `need` free huge pages that are not reserved (the files, the private copies of every mm): without them it is
 * skipped, saying so (`ptelab kernel-check` raises vm.nr_hugepages for the run).
 */
static PT_UNUSED bool pt_hugetlb(struct pt_test *t, long need)
{
	long kb = pt_meminfo("Hugepagesize:"), free_ = pt_meminfo("HugePages_Free:"), rsvd = pt_meminfo("HugePages_Rsvd:");

	if (kb <= 0) {
		printf("ok 1 %s # SKIP needs hugetlb (no Hugepagesize in /proc/meminfo)\n", t->name);
		return false;
	}
	if (free_ - rsvd < need) {
		printf("ok 1 %s # SKIP needs %ld free huge pages of %ld kB (HugePages_Free %ld, HugePages_Rsvd %ld: raise "
		       "vm.nr_hugepages)\n", t->name, need, kb, free_, rsvd);
		return false;
	}
	pt_psize = kb * 1024;
	pt_huge = true;
	return true;
}

/* a new process with an empty address space (nothing of ours mapped at PT_BASE) */
static PT_UNUSED void pt_new_mm(struct pt_test *t, int mm, const char *name)
{
	int sv[2];
	pid_t pid;

	t->mms[mm].name = name;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		printf("Bail out! socketpair: %s\n", strerror(errno));
		exit(KSFT_FAIL);
	}
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < PT_MAX_MMS; i++)
			if (t->mms[i].sock >= 0)
				close(t->mms[i].sock);
		close(sv[0]);
		pt_worker_reset(sv[1]);
		pt_worker_signals();
		alarm(0);
		pt_worker_loop();
	}
	close(sv[1]);
	t->mms[mm].sock = sv[0];
	t->mms[mm].pid = pid;
}

/* one command to one mm, and its outcome */
static PT_UNUSED void pt_call(struct pt_test *t, int mm, struct pt_cmd c, int fd, struct pt_outcome *o)
{
	/* PT_VIA: the context a userfaultfd step goes through rides above the mm's index */
	c.uffd = mm >> 8;
	mm &= 0xff;
	memset(o, 0, sizeof(*o));
	if (t->mms[mm].sock < 0) {
		pt_not_run(o, "mm %s is not running", t->mms[mm].name ? t->mms[mm].name : "?");
		return;
	}
	if (pt_send(t->mms[mm].sock, &c, sizeof(c), fd)) {
		pt_not_run(o, "mm %s died", t->mms[mm].name);
		return;
	}
	/* a call the kernel restarts for ever (restart_syscall()) never answers: after PT_STEP_TIMEOUT the mm is
	 * killed and the step's outcome is "hang"; the mm's later steps are not run */
	struct pollfd pfd = { .fd = t->mms[mm].sock, .events = POLLIN };

	if (poll(&pfd, 1, PT_STEP_TIMEOUT * 1000) == 0) {
		kill(t->mms[mm].pid, SIGKILL);
		close(t->mms[mm].sock);
		t->mms[mm].sock = -1;
		o->kind = PT_HANG;
		return;
	}
	if (pt_recv(t->mms[mm].sock, o, sizeof(*o), NULL)) {
		memset(o, 0, sizeof(*o));
		pt_not_run(o, "mm %s died", t->mms[mm].name);
	}
}

/* "ok [ioctls wake copy ...]": UFFDIO_REGISTER's reply, in the scenario language's names (ascending _UFFDIO_ bit) */
static PT_UNUSED void pt_format_ioctls(unsigned long long ioctls, char *buf, size_t len)
{
	static const struct { int bit; const char *name; } names[] = {
		{ _UFFDIO_WAKE, "wake" }, { _UFFDIO_COPY, "copy" }, { _UFFDIO_ZEROPAGE, "zeropage" },
		{ _UFFDIO_MOVE, "move" }, { _UFFDIO_WRITEPROTECT, "writeprotect" }, { _UFFDIO_CONTINUE, "continue" },
		{ _UFFDIO_POISON, "poison" },
	};
	size_t n = (size_t)snprintf(buf, len, "ok [ioctls");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && n < len; i++)
		if (ioctls & (1ULL << names[i].bit))
			n += (size_t)snprintf(buf + n, len - n, " %s", names[i].name);
	if (n < len)
		snprintf(buf + n, len - n, "]");
}

static PT_UNUSED void pt_format(const struct pt_outcome *o, char *buf, size_t len)
{
	switch (o->kind) {
	case PT_OK:
		if (o->has_ioctls)
			pt_format_ioctls(o->ioctls, buf, len);
		else
			snprintf(buf, len, "ok");
		break;
	case PT_USERFAULT_MINOR:
		snprintf(buf, len, "userfault minor");
		break;
	case PT_HWPOISON:
		snprintf(buf, len, "hwpoison");
		break;
	case PT_SIGBUS_OR_HWPOISON:
		snprintf(buf, len, "sigbus or hwpoison");
		break;
	case PT_HANG:
		snprintf(buf, len, "hang");
		break;
	case PT_VALUE:
		snprintf(buf, len, "%lld", o->value);
		break;
	case PT_USERFAULT_WP:
		snprintf(buf, len, "userfault wp");
		break;
	case PT_USERFAULT_MISSING:
		snprintf(buf, len, "userfault missing");
		break;
	case PT_SIGBUS:
		snprintf(buf, len, "sigbus");
		break;
	case PT_SIGSEGV:
		snprintf(buf, len, "sigsegv");
		break;
	case PT_ERRNO:
		snprintf(buf, len, "%s", pt_errno_name(o->err));
		break;
	case PT_PAGEMAP:
		snprintf(buf, len, "%s [%s%s%s%s]", (o->pagemap & PM_UFFD_WP) ? "wp" : "!wp",
			 (o->pagemap & PM_PRESENT) ? "present" : (o->pagemap & PM_SWAP) ? "swap" : "none",
			 (o->pagemap & PM_FILE) ? " file" : "", (o->pagemap & PM_SWAP) && (o->pagemap & PM_PRESENT) ? " swap" : "",
			 (o->pagemap & PM_GUARD_REGION) ? " guard" : "");
		break;
	case PT_SCAN:
		snprintf(buf, len, "written %s", o->written);
		break;
	case PT_NOT_RUN:
		snprintf(buf, len, "not run: %s", o->why);
		break;
	default:
		snprintf(buf, len, "nothing");
	}
}

static PT_UNUSED void pt_format_expect(const struct pt_expect *e, char *buf, size_t len)
{
	struct pt_outcome o = { .kind = e->kind, .err = e->err, .value = e->value };

	if (e->kind == PT_NONE) {
		snprintf(buf, len, "-");
		return;
	}
	if (e->kind == PT_PAGEMAP) {
		snprintf(buf, len, "%s", e->value ? "wp" : "!wp");
		return;
	}
	if (e->kind == PT_GUARD) {
		snprintf(buf, len, "%s", e->value ? "guard" : "!guard");
		return;
	}
	if (e->kind == PT_IOCTLS) {
		pt_format_ioctls((unsigned long long)e->value, buf, len);
		return;
	}
	if (e->kind == PT_SCAN) {
		snprintf(buf, len, "written %s", e->written);
		return;
	}
	pt_format(&o, buf, len);
}

static PT_UNUSED bool pt_matches(const struct pt_outcome *o, const struct pt_expect *e)
{
	if (e->kind == PT_GUARD)
		return o->kind == PT_PAGEMAP && !!(o->pagemap & PM_GUARD_REGION) == !!e->value;
	if (e->kind == PT_IOCTLS)
		return o->kind == PT_OK && (o->ioctls & PT_MODELLED_IOCTLS) == (unsigned long long)e->value;
	if (o->kind == PT_SIGBUS_OR_HWPOISON)
		return e->kind == PT_SIGBUS; /* the signal the user sees; hwpoison is not run (pt_report) */
	if (o->kind != e->kind)
		return false;
	switch (e->kind) {
	case PT_VALUE:
		return o->value == e->value;
	case PT_ERRNO:
		return o->err == e->err;
	case PT_PAGEMAP:
		return !!(o->pagemap & PM_UFFD_WP) == !!e->value;
	case PT_SCAN:
		return !strcmp(o->written, e->written);
	default:
		return true;
	}
}

/*
 * Every step ends here: one line "# step N: TEXT -> kernel: OUTCOME; expected: EXPECT (VERDICT)", which
 * `ptelab kernel-check` reads back.  After a kernel event that did not happen nothing is judged: "not run".
 */
static PT_UNUSED void pt_report(struct pt_test *t, int step, const char *text, struct pt_outcome *o, struct pt_expect e)
{
	char got[512], want[256];
	const char *verdict;

	/* any step that could not be done (an event, or an ioctl the driver cannot route) leaves a state the
	 * scenario does not describe: the steps after it are not run either */
	if (o->kind == PT_NOT_RUN && t->broken_step < 0) {
		t->broken_step = step;
		snprintf(t->broken_why, sizeof(t->broken_why), "%s", o->why);
	} else if (o->kind == PT_NOT_RUN && t->broken_step != step) {
		/* a step the driver cannot do after one that did not happen (an unpin after a pin not taken) is owed
		 * to that one */
		char own[400];

		snprintf(own, sizeof(own), "%s", o->why);
		snprintf(o->why, sizeof(o->why), "step %d did not happen: %.200s; this step: %.150s", t->broken_step,
			 t->broken_why, own);
	} else if (o->kind != PT_NOT_RUN && t->broken_step >= 0) {
		char seen[512];

		pt_format(o, seen, sizeof(seen));
		o->kind = PT_NOT_RUN;
		snprintf(o->why, sizeof(o->why), "step %d did not happen: %.240s; the kernel gave %.100s", t->broken_step,
			 t->broken_why, seen);
	}
	pt_format(o, got, sizeof(got));
	pt_format_expect(&e, want, sizeof(want));
	if (o->kind == PT_SIGBUS_OR_HWPOISON && e.kind == PT_HWPOISON) {
		/* nothing wrong with the state: only this observation cannot be judged on this kernel */
		verdict = "not run";
		t->not_run++;
	} else if (o->kind == PT_NOT_RUN) {
		verdict = "not run";
		if (e.kind != PT_NONE)
			t->not_run++;
	} else if (e.kind == PT_NONE) {
		verdict = "-";
	} else if (pt_matches(o, &e)) {
		verdict = "pass";
		t->passed++;
	} else {
		verdict = "FAIL";
		t->failed++;
	}
	printf("# step %d: %s -> kernel: %s; expected: %s (%s)\n", step, text, got, want, verdict);
}

/* a kernel event that could not be forced: it and everything after it is "not run" */
static PT_UNUSED void pt_event_failed(struct pt_test *t, int step, struct pt_outcome *o)
{
	if (t->broken_step < 0) {
		t->broken_step = step;
		snprintf(t->broken_why, sizeof(t->broken_why), "%s", o->why);
	}
}

/* ---- user operations ---- */

static PT_UNUSED void pt_simple(struct pt_test *t, int step, const char *text, int mm, struct pt_cmd c, struct pt_expect e)
{
	struct pt_outcome o;

	pt_call(t, mm, c, -1, &o);
	pt_report(t, step, text, &o, e);
}

#define PT_CMD(op_, a_, b_, c_, d_) ((struct pt_cmd){ .op = (op_), .a = (a_), .b = (b_), .c = (c_), .d = (d_) })

static PT_UNUSED void step_file(struct pt_test *t, int step, const char *text)
{
	struct pt_outcome o = { .kind = PT_OK };

	/* the memfd was created before the first mm, so that every process has it */
	pt_report(t, step, text, &o, EXPECT_NONE);
}

static PT_UNUSED void step_mm(struct pt_test *t, int step, const char *text, int mm, const char *name)
{
	struct pt_outcome o = { .kind = PT_OK };

	pt_new_mm(t, mm, name);
	pt_report(t, step, text, &o, EXPECT_NONE);
}

static PT_UNUSED void step_map_anon(struct pt_test *t, int step, const char *text, int mm, long start, long pages, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_MMAP_ANON, start, pages, 0, 0), e);
}

static PT_UNUSED void step_map_file(struct pt_test *t, int step, const char *text, int mm, int file, bool shared, long start,
			  long pages, long pgoff, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_MMAP_FILE, start, pages, pgoff, file | (shared ? 0x100 : 0)), e);
}

static PT_UNUSED void step_munmap(struct pt_test *t, int step, const char *text, int mm, long page, long pages, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_MUNMAP, page, pages, 0, 0), e);
}

static PT_UNUSED void step_uffd(struct pt_test *t, int step, const char *text, int mm, int features, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_UFFD, features, 0, 0, 0), e);
}

static PT_UNUSED void step_register(struct pt_test *t, int step, const char *text, int mm, long page, long pages, int modes,
			  struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_REGISTER, page, pages, modes, 0), e);
}

static PT_UNUSED void step_unregister(struct pt_test *t, int step, const char *text, int mm, long page, long pages, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_UNREGISTER, page, pages, 0, 0), e);
}

static PT_UNUSED void step_protect(struct pt_test *t, int step, const char *text, int mm, long page, long pages, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_PROTECT, page, pages, 0, 0), e);
}

static PT_UNUSED void step_resolve(struct pt_test *t, int step, const char *text, int mm, long page, long pages, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_RESOLVE, page, pages, 0, 0), e);
}

static PT_UNUSED void step_read(struct pt_test *t, int step, const char *text, int mm, long page, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_READ, page, 0, 0, 0), e);
}

static PT_UNUSED void step_write(struct pt_test *t, int step, const char *text, int mm, long page, long long value, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_WRITE, page, value, 0, 0), e);
}

static PT_UNUSED void step_pagemap(struct pt_test *t, int step, const char *text, int mm, long page, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_PAGEMAP, page, 0, 0, 0), e);
}

static PT_UNUSED void step_close_uffd(struct pt_test *t, int step, const char *text, int mm, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_CLOSE_UFFD, 0, 0, 0, 0), e);
}

static PT_UNUSED void step_guard_install(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			       struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_GUARD_INSTALL, page, pages, 0, 0), e);
}

static PT_UNUSED void step_guard_remove(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			      struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_GUARD_REMOVE, page, pages, 0, 0), e);
}

/* MADV_HWPOISON: memory_failure() on the page (CAP_SYS_ADMIN, CONFIG_MEMORY_FAILURE); the page stays lost */
static PT_UNUSED void step_madv_hwpoison(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			       struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_HWPOISON, page, pages, 0, 0), e);
}

static PT_UNUSED void step_uffd_poison(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			     struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_UFFD_POISON, page, pages, 0, 0), e);
}

static PT_UNUSED void step_uffd_copy(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			   long long value, int mode, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_UFFD_COPY, page, pages, value, mode), e);
}

static PT_UNUSED void step_uffd_zeropage(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			       int mode, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_UFFD_ZEROPAGE, page, pages, 0, mode), e);
}

static PT_UNUSED void step_uffd_continue(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			       int mode, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_UFFD_CONTINUE, page, pages, 0, mode), e);
}

static PT_UNUSED void step_uffd_wake(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			   struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_UFFD_WAKE, page, pages, 0, 0), e);
}

static PT_UNUSED void step_uffd_move(struct pt_test *t, int step, const char *text, int mm, long page, long src,
			   long pages, int mode, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_UFFD_MOVE, page, pages, src, mode), e);
}

/* flags: PM_SCAN_WP_MATCHING, PM_SCAN_CHECK_WPASYNC */
static PT_UNUSED void step_scan(struct pt_test *t, int step, const char *text, int mm, long page, long pages, int flags,
			struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_SCAN, page, pages, flags, 0), e);
}

static PT_UNUSED void step_pin(struct pt_test *t, int step, const char *text, int mm, long page, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_PIN, page, 0, 0, 0), e);
}

static PT_UNUSED void step_unpin(struct pt_test *t, int step, const char *text, int mm, long page, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_UNPIN, page, 0, 0, 0), e);
}

static PT_UNUSED void step_mprotect(struct pt_test *t, int step, const char *text, int mm, long page, long pages, int writable,
			  struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_MPROTECT, page, pages, writable, 0), e);
}

static PT_UNUSED void step_madv_dontneed(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			       struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_DONTNEED, page, pages, 0, 0), e);
}

/*
 * MADV_PAGEOUT is a user operation, but what the scenarios use it for is the eviction behind it: a page that was
 * mapped and still is afterwards (another mm maps it too, or it is not on an LRU list) means the eviction did not
 * happen, and the steps after it are not run.
 */
static PT_UNUSED void step_madv_pageout(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			      struct pt_expect e)
{
	struct pt_outcome o;

	pt_call(t, mm, PT_CMD(CMD_PAGEOUT, page, pages, 0, 0), -1, &o);
	if (o.kind == PT_OK && o.value >= 0) {
		pt_not_run(&o, "MADV_PAGEOUT left page %lld mapped (another mm maps it too, or it is not on an LRU list)",
			   o.value);
		pt_event_failed(t, step, &o);
	}
	pt_report(t, step, text, &o, e);
}

static PT_UNUSED void step_mremap(struct pt_test *t, int step, const char *text, int mm, long page, long pages, long to,
			struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_MREMAP, page, pages, to, 0), e);
}

static PT_UNUSED void step_mremap_dontunmap(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
				  long to, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_MREMAP, page, pages, to, 1), e);
}

static PT_UNUSED void step_mremap_shrink(struct pt_test *t, int step, const char *text, int mm, long page, long pages,
			       long new_pages, struct pt_expect e)
{
	pt_simple(t, step, text, mm, PT_CMD(CMD_MREMAP, page, pages, new_pages, 2), e);
}

static PT_UNUSED void step_punch(struct pt_test *t, int step, const char *text, int file, long index, long pages, struct pt_expect e)
{
	struct pt_outcome o = { 0 };

	pt_result_errno(&o, fallocate(pt_files[file], FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, index * pt_psize,
				      pages * pt_psize));
	pt_report(t, step, text, &o, e);
}

/* fork: the child's socket travels to the parent with the command; the parent forks and hands it over */
static PT_UNUSED void step_fork(struct pt_test *t, int step, const char *text, int mm, int child, const char *name, struct pt_expect e)
{
	struct pt_outcome o;
	int sv[2];

	t->mms[child].name = name;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)) {
		memset(&o, 0, sizeof(o));
		pt_result_errno(&o, -1);
	} else {
		pt_call(t, mm, PT_CMD(CMD_FORK, 0, 0, 0, 0), sv[1], &o);
		close(sv[1]);
		if (o.kind == PT_OK) {
			t->mms[child].sock = sv[0];
			t->mms[child].pid = (pid_t)o.value;
		} else {
			close(sv[0]);
		}
	}
	pt_report(t, step, text, &o, e);
}

/* exit: the step ends when the process is gone (its socket closes after exit_mm() has torn the mm down) */
static PT_UNUSED void step_exit(struct pt_test *t, int step, const char *text, int mm, struct pt_expect e)
{
	struct pt_outcome o;
	char c;

	pt_call(t, mm, PT_CMD(CMD_EXIT, 0, 0, 0, 0), -1, &o);
	if (t->mms[mm].sock >= 0) {
		while (read(t->mms[mm].sock, &c, 1) > 0)
			;
		close(t->mms[mm].sock);
		t->mms[mm].sock = -1;
		waitpid(t->mms[mm].pid, NULL, 0); /* only our direct children; forked ones reap themselves */
		t->mms[mm].pid = 0;
	}
	pt_report(t, step, text, &o, e);
}

/* ---- kernel events ---- */

/* the shmem swap usage (kB) of page `index` of `file`, read from smaps of a short-lived mapping of that one page */
static PT_UNUSED long pt_file_page_swap_kb(int file, long index)
{
	char line[256];
	long kb = -1;
	bool in = false;
	void *p = mmap(NULL, pt_psize, PROT_READ, MAP_SHARED, pt_files[file], index * pt_psize);
	FILE *f;

	if (p == MAP_FAILED)
		return -1;
	f = fopen("/proc/self/smaps", "r");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = start == (unsigned long)p;
			continue;
		}
		if (in && sscanf(line, "Swap: %ld kB", &kb) == 1)
			break;
	}
	if (f)
		fclose(f);
	munmap(p, pt_psize);
	return kb;
}

static PT_UNUSED bool pt_file_page_resident(int file, long index)
{
	unsigned char vec = 0;
	void *p = mmap(NULL, pt_psize, PROT_READ, MAP_SHARED, pt_files[file], index * pt_psize);

	if (p == MAP_FAILED)
		return false;
	if (mincore(p, pt_bsize, &vec))
		vec = 0;
	munmap(p, pt_psize);
	return vec & 1;
}

/*
 * Evict page `index` of shmem file `file` to swap.  MADV_PAGEOUT reclaims a page only when one PTE maps it, so the
 * other mms' PTEs of the page are zapped first with MADV_DONTNEED (what try_to_unmap_one() does to them as well: the
 * PTE goes, a uffd-wp marker stays where it was protected) and the last mapper pages it out; a page no mm maps is
 * mapped by the driver for the MADV_PAGEOUT.  Checked: no PTE maps the page any more, and the file has it in swap (or, pinned, still in memory:
 * shrink_folio_list() unmaps a page-cache folio and then keeps it when it may be pinned).
 */
static PT_UNUSED void pt_evict(struct pt_test *t, int file, long index, struct pt_outcome *o)
{
	/* every place any mm maps the page (one mm may map it several times: MAP_SHARED and MAP_PRIVATE aliases) */
	enum { PT_MAX_PLACES = 4 * PT_MAX_MMS };
	int holder[PT_MAX_PLACES], n = 0;
	long where[PT_MAX_PLACES];
	struct pt_outcome r;
	long kb;

	memset(o, 0, sizeof(*o));
	if (pt_file_page_swap_kb(file, index) > 0 && !pt_file_page_resident(file, index)) {
		o->kind = PT_OK; /* already in swap */
		return;
	}
	for (int i = 0; i < PT_MAX_MMS; i++) {
		if (t->mms[i].sock < 0)
			continue;
		for (long k = 0; n < PT_MAX_PLACES; k++) {
			pt_call(t, i, PT_CMD(CMD_FIND_FILE_PAGE, file, index, k, 0), -1, &r);
			if (r.kind != PT_VALUE || r.value < 0)
				break;
			holder[n] = i;
			where[n++] = (long)r.value;
		}
	}
	if (n == 0 && !pt_file_page_resident(file, index)) {
		o->kind = PT_OK; /* a hole: nothing in memory to evict */
		return;
	}
	for (int k = 0; k + 1 < n; k++)
		pt_call(t, holder[k], PT_CMD(CMD_ZAP, where[k], 1, 0, 0), -1, &r);
	if (n > 0) {
		pt_call(t, holder[n - 1], PT_CMD(CMD_PAGEOUT, where[n - 1], 1, 0, 0), -1, &r);
	} else {
		volatile char *p = mmap(NULL, pt_psize, PROT_READ, MAP_SHARED, pt_files[file], index * pt_psize);

		if (p != MAP_FAILED) {
			(void)*p;
			madvise((void *)p, pt_psize, MADV_PAGEOUT);
			munmap((void *)p, pt_psize);
		}
	}
	for (int i = 0; i < PT_MAX_MMS; i++) {
		if (t->mms[i].sock < 0)
			continue;
		pt_call(t, i, PT_CMD(CMD_FIND_FILE_PAGE, file, index, 0, 0), -1, &r);
		if (r.kind == PT_VALUE && r.value >= 0) {
			pt_not_run(o, "page %ld of the file is still mapped by %s after MADV_PAGEOUT", index, t->mms[i].name);
			return;
		}
	}
	kb = pt_file_page_swap_kb(file, index);
	if (kb <= 0) {
		/* shrink_folio_list() unmaps a page-cache folio, then keeps it if it may be pinned: that is the outcome */
		for (int i = 0; i < PT_MAX_MMS; i++) {
			if (t->mms[i].sock < 0)
				continue;
			pt_call(t, i, PT_CMD(CMD_FILE_PAGE_PINNED, file, index, 0, 0), -1, &r);
			if (r.kind == PT_VALUE && r.value == 1 && pt_file_page_resident(file, index)) {
				o->kind = PT_OK;
				return;
			}
		}
		pt_not_run(o, "page %ld of the file did not go to swap (MADV_PAGEOUT; is swap on?)", index);
		return;
	}
	o->kind = PT_OK;
}

static PT_UNUSED void step_evict(struct pt_test *t, int step, const char *text, int file, long index, struct pt_expect e)
{
	struct pt_outcome o;

	pt_evict(t, file, index, &o);
	if (o.kind == PT_NOT_RUN)
		pt_event_failed(t, step, &o);
	pt_report(t, step, text, &o, e);
}

/* reclaim: a page-cache page is evicted (as above); an anon page is paged out and must become a swap entry */
static PT_UNUSED void step_reclaim(struct pt_test *t, int step, const char *text, int mm, long page, struct pt_expect e)
{
	struct pt_outcome o, r;

	pt_call(t, mm, PT_CMD(CMD_LOCATE, page, 0, 0, 0), -1, &r);
	if (r.kind == PT_VALUE && r.value >= 0 && (r.pagemap & PM_PRESENT)) {
		pt_evict(t, (int)(r.value >> 32), (long)(r.value & 0xffffffff), &o);
	} else if (!(r.pagemap & PM_PRESENT)) {
		memset(&o, 0, sizeof(o));
		o.kind = PT_OK; /* nothing in memory there */
	} else {
		pt_call(t, mm, PT_CMD(CMD_PAGEOUT, page, 1, 0, 0), -1, &o);
		/* reclaim leaves a page with a long-term pin alone (try_to_unmap_one() fails on a maybe-pinned exclusive
		 * anon page): then the page staying present is the event's outcome */
		if (o.kind == PT_OK && !(o.pagemap & PM_SWAP) && !((o.pagemap & PM_PRESENT) && o.pinned)) {
			/* madvise_cold_or_pageout_pte_range() skips a folio another mm maps: only memory pressure
			 * reclaims it, and user space cannot aim that at one page */
			if ((o.pagemap & PM_PRESENT) && !(o.pagemap & PM_MMAP_EXCLUSIVE))
				pt_not_run(&o, "MADV_PAGEOUT skips an anon page another mm maps too; only memory pressure reclaims it");
			else
				pt_not_run(&o, "MADV_PAGEOUT left the anon page %s (no swap?)",
					   (o.pagemap & PM_PRESENT) ? "present" : "not in swap");
		}
	}
	if (o.kind == PT_NOT_RUN)
		pt_event_failed(t, step, &o);
	pt_report(t, step, text, &o, e);
}

static PT_UNUSED int pt_numa_nodes(void)
{
	char buf[64] = "";
	int a = 0, b = 0;
	FILE *f = fopen("/sys/devices/system/node/online", "r");

	if (!f)
		return 1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	if (sscanf(buf, "%d-%d", &a, &b) == 2)
		return b - a + 1;
	return 1;
}

/*
 * migrate: with two NUMA nodes, move_pages() to the other one; on one node, compaction (vm.compact_memory) is the
 * only migration user space can start, and it moves the page only if it happens to sit in a block it compacts.
 * Checked by the PFN (pagemap shows PFNs to CAP_SYS_ADMIN only).
 */
static PT_UNUSED void step_migrate(struct pt_test *t, int step, const char *text, int mm, long page, struct pt_expect e)
{
	struct pt_outcome o, r;
	unsigned long long before, after;

	memset(&o, 0, sizeof(o));
	pt_call(t, mm, PT_CMD(CMD_LOCATE, page, 0, 0, 0), -1, &r);
	before = r.pagemap;
	if (!(before & PM_PRESENT)) {
		o.kind = PT_OK; /* no page there: nothing to migrate */
	} else if (!(before & PM_PFN_MASK)) {
		pt_not_run(&o, "pagemap shows no PFN (needs CAP_SYS_ADMIN): a migration cannot be checked");
	} else {
		int nodes = pt_numa_nodes();
		int fd = open("/proc/sys/vm/compact_memory", O_WRONLY);

		if (fd >= 0) {
			if (write(fd, "1", 1) != 1)
				(void)0;
			close(fd);
		}
		pt_call(t, mm, PT_CMD(CMD_LOCATE, page, 0, 0, 0), -1, &r);
		after = r.pagemap;
		if ((after & PM_PRESENT) && (after & PM_PFN_MASK) != (before & PM_PFN_MASK))
			o.kind = PT_OK;
		else if (r.pinned)
			o.kind = PT_OK; /* compaction leaves a page with a long-term pin where it is: so does the event */
		else
			pt_not_run(&o, "the page stayed at PFN %#llx: %d NUMA node%s, and compaction did not move it",
				   before & PM_PFN_MASK, nodes, nodes == 1 ? "" : "s");
	}
	if (o.kind == PT_NOT_RUN)
		pt_event_failed(t, step, &o);
	pt_report(t, step, text, &o, e);
}

/* NUMA hinting: task_numa_work() runs on its own schedule, and only with NUMA balancing on (several nodes) */
static PT_UNUSED void step_numa(struct pt_test *t, int step, const char *text, int mm, long page, long pages, struct pt_expect e)
{
	struct pt_outcome o;
	int nodes = pt_numa_nodes();

	(void)mm;
	(void)page;
	(void)pages;
	memset(&o, 0, sizeof(o));
	pt_not_run(&o, "a NUMA hinting scan cannot be forced from user space (%d node%s, balancing runs on its own clock)",
		   nodes, nodes == 1 ? "" : "s");
	pt_event_failed(t, step, &o);
	pt_report(t, step, text, &o, e);
}

/* swapoff: the swapfile named by PTELAB_SWAPFILE goes off (every page on it comes back) and on again */
static PT_UNUSED void step_swapoff(struct pt_test *t, int step, const char *text, struct pt_expect e)
{
	struct pt_outcome o;

	memset(&o, 0, sizeof(o));
	if (!t->swapfile) {
		pt_not_run(&o, "no swapfile to turn off (set PTELAB_SWAPFILE to a swapfile this test may swapoff)");
	} else if (swapoff(t->swapfile)) {
		pt_not_run(&o, "swapoff(%s): %s", t->swapfile, strerror(errno));
	} else {
		o.kind = PT_OK;
		if (swapon(t->swapfile, SWAP_FLAG_PREFER | (32767 & SWAP_FLAG_PRIO_MASK)))
			printf("# swapon(%s) again: %s\n", t->swapfile, strerror(errno));
	}
	if (o.kind == PT_NOT_RUN)
		pt_event_failed(t, step, &o);
	pt_report(t, step, text, &o, e);
}

/* ---- the end ---- */

static PT_UNUSED int pt_finish(struct pt_test *t)
{
	int code;

	pt_kill_all(t);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	alarm(0);
	if (t->failed) {
		printf("not ok 1 %s\n", t->name);
		code = KSFT_FAIL;
	} else if (t->not_run) {
		printf("ok 1 %s # SKIP %d expectation%s not run: step %d: %s\n", t->name, t->not_run,
		       t->not_run == 1 ? "" : "s", t->broken_step, t->broken_why);
		code = KSFT_SKIP;
	} else {
		printf("ok 1 %s\n", t->name);
		code = KSFT_PASS;
	}
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n", code == KSFT_PASS, code == KSFT_FAIL,
	       code == KSFT_SKIP);
	return code;
}

/* what the whole test needs before its first step: a page size, and swap when it evicts */
#define PT_NEEDS_SWAP 1		/* the scenario evicts, reclaims or pages out */
#define PT_NEEDS_SWAPFILE 2	/* the scenario turns swap off (and on again): PTELAB_SWAPFILE */

static PT_UNUSED bool pt_require(struct pt_test *t, int needs)
{
	bool needs_swap = needs & PT_NEEDS_SWAP, needs_swapfile = needs & PT_NEEDS_SWAPFILE;

	char line[256];
	int n = 0;
	FILE *f;

	if (needs_swapfile && !t->swapfile) {
		printf("ok 1 %s # SKIP needs PTELAB_SWAPFILE (a swapfile it may swapoff and swapon again)\n", t->name);
		return false;
	}
	if (needs_swap) {
		f = fopen("/proc/swaps", "r");
		while (f && fgets(line, sizeof(line), f))
			n++;
		if (f)
			fclose(f);
		if (n < 2) {
			printf("ok 1 %s # SKIP needs swap (none in /proc/swaps)\n", t->name);
			return false;
		}
	}
	return true;
}

#endif /* PTELAB_SELFTEST_H */
