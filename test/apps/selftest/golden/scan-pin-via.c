// SPDX-License-Identifier: MIT
/*
 * scan, pin, via
 * from: docs/kernel-check.md: Adding an op
 * Written by `ptelab selftest` from test/apps/selftest/fixtures/scan-pin-via.scn:4; regenerate it rather than edit it.
 *
 * Each step runs on the kernel and prints "# step N: TEXT -> kernel: OUTCOME; expected: EXPECT (VERDICT)";
 * the test fails on an expectation the kernel contradicts, and is skipped when a kernel event could not
 * be forced (the expectations after it are not run). Build with make, run as root with swap on; set
 * PTELAB_SWAPFILE to a swapfile the test may turn off and on again when the scenario has a swapoff.
 */
#include "ptelab_selftest.h"

enum { MM_A };
enum { UFFD_U2 = 1 };

int main(void)
{
	struct pt_test t;

	pt_init(&t, "scan, pin, via", 18);
	if (!pt_require(&t, 0))
		return KSFT_SKIP;

	step_mm(&t, 0, "mm A", MM_A, "A");
	step_map_anon(&t, 1, "A map anon at 0 pages 2", MM_A, 0, 2, EXPECT_NONE);
	step_map_anon(&t, 2, "A map anon at 4 pages 2", MM_A, 4, 2, EXPECT_NONE);
	step_uffd(&t, 3, "A uffd features wp_async", MM_A, PT_WP_ASYNC, EXPECT_NONE);
	step_uffd(&t, 4, "A uffd U2 features sigbus", PT_VIA(MM_A, UFFD_U2), PT_SIGBUS_FEATURE, EXPECT_NONE);
	step_register(&t, 5, "A register 0 pages 2", MM_A, 0, 2, PT_MODE_WP, EXPECT_NONE);
	step_register(&t, 6, "A register 4 pages 2 mode missing via U2", PT_VIA(MM_A, UFFD_U2), 4, 2, PT_MODE_MISSING, EXPECT_NONE);
	step_protect(&t, 7, "A protect 0 pages 2", MM_A, 0, 2, EXPECT_NONE);
	step_scan(&t, 8, "A scan 0 pages 2 mode wp, check", MM_A, 0, 2, PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC, EXPECT_WRITTEN("none"));
	step_write(&t, 9, "A write 1 = 1", MM_A, 1, 1, EXPECT_OK);
	step_scan(&t, 10, "A scan 0 pages 2 mode wp", MM_A, 0, 2, PM_SCAN_WP_MATCHING, EXPECT_WRITTEN("1"));
	step_scan(&t, 11, "A scan 0 pages 2", MM_A, 0, 2, 0, EXPECT_WRITTEN("none"));
	step_read(&t, 12, "A read 4", MM_A, 4, EXPECT_SIGBUS);
	step_uffd_copy(&t, 13, "A copy 4 = 2 via U2", PT_VIA(MM_A, UFFD_U2), 4, 1, 2, 0, EXPECT_OK);
	step_pin(&t, 14, "A pin 4", MM_A, 4, EXPECT_OK);
	step_unpin(&t, 15, "A unpin 4", MM_A, 4, EXPECT_NONE);
	step_close_uffd(&t, 16, "A close uffd U2", PT_VIA(MM_A, UFFD_U2), EXPECT_NONE);
	step_exit(&t, 17, "A exit", MM_A, EXPECT_NONE);

	return pt_finish(&t);
}
