// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Names of a passthrough command's outcome: NVMe statuses (by the NVMe
 * Base Specification 2.0 and the NVM Command Set Specification 1.0) and
 * errnos.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "zcblk.h"

struct status_name {
	unsigned short sct_sc;		/* SCT << 8 | SC */
	const char *name;
};

/* Sorted by SCT, then SC. */
static const struct status_name status_names[] = {
	/* Generic Command Status (SCT 0) */
	{ 0x000, "Successful Completion" },
	{ 0x001, "Invalid Command Opcode" },
	{ 0x002, "Invalid Field in Command" },
	{ 0x003, "Command ID Conflict" },
	{ 0x004, "Data Transfer Error" },
	{ 0x005, "Commands Aborted due to Power Loss Notification" },
	{ 0x006, "Internal Error" },
	{ 0x007, "Command Abort Requested" },
	{ 0x008, "Command Aborted due to SQ Deletion" },
	{ 0x009, "Command Aborted due to Failed Fused Command" },
	{ 0x00a, "Command Aborted due to Missing Fused Command" },
	{ 0x00b, "Invalid Namespace or Format" },
	{ 0x00c, "Command Sequence Error" },
	{ 0x00d, "Invalid SGL Segment Descriptor" },
	{ 0x00e, "Invalid Number of SGL Descriptors" },
	{ 0x00f, "Data SGL Length Invalid" },
	{ 0x010, "Metadata SGL Length Invalid" },
	{ 0x011, "SGL Descriptor Type Invalid" },
	{ 0x012, "Invalid Use of Controller Memory Buffer" },
	{ 0x013, "PRP Offset Invalid" },
	{ 0x014, "Atomic Write Unit Exceeded" },
	{ 0x015, "Operation Denied" },
	{ 0x016, "SGL Offset Invalid" },
	{ 0x018, "Host Identifier Inconsistent Format" },
	{ 0x019, "Keep Alive Timer Expired" },
	{ 0x01a, "Keep Alive Timeout Invalid" },
	{ 0x01b, "Command Aborted due to Preempt and Abort" },
	{ 0x01c, "Sanitize Failed" },
	{ 0x01d, "Sanitize In Progress" },
	{ 0x01e, "SGL Data Block Granularity Invalid" },
	{ 0x01f, "Command Not Supported for Queue in CMB" },
	{ 0x020, "Namespace is Write Protected" },
	{ 0x021, "Command Interrupted" },
	{ 0x022, "Transient Transport Error" },
	{ 0x023, "Command Prohibited by Command and Feature Lockdown" },
	{ 0x024, "Admin Command Media Not Ready" },
	/* Generic Command Status, NVM Command Set (SCT 0, SC 0x80..) */
	{ 0x080, "LBA Out of Range" },
	{ 0x081, "Capacity Exceeded" },
	{ 0x082, "Namespace Not Ready" },
	{ 0x083, "Reservation Conflict" },
	{ 0x084, "Format In Progress" },
	/* Command Specific Status (SCT 1), NVM Command Set */
	{ 0x180, "Conflicting Attributes" },
	{ 0x181, "Invalid Protection Information" },
	{ 0x182, "Attempted Write to Read Only Range" },
	{ 0x183, "Command Size Limit Exceeded" },
	/* Media and Data Integrity Errors (SCT 2) */
	{ 0x280, "Write Fault" },
	{ 0x281, "Unrecovered Read Error" },
	{ 0x282, "End-to-end Guard Check Error" },
	{ 0x283, "End-to-end Application Tag Check Error" },
	{ 0x284, "End-to-end Reference Tag Check Error" },
	{ 0x285, "Compare Failure" },
	{ 0x286, "Access Denied" },
	{ 0x287, "Deallocated or Unwritten Logical Block" },
	{ 0x288, "End-to-End Storage Tag Check Error" },
	/* Path Related Status (SCT 3) */
	{ 0x300, "Internal Path Error" },
	{ 0x301, "Asymmetric Access Persistent Loss" },
	{ 0x302, "Asymmetric Access Inaccessible" },
	{ 0x303, "Asymmetric Access Transition" },
	{ 0x360, "Controller Pathing Error" },
	{ 0x370, "Host Pathing Error" },
	{ 0x371, "Command Aborted By Host" },
};

static int cmp_status(const void *key, const void *elem)
{
	unsigned int k = *(const unsigned int *)key;
	const struct status_name *s = elem;

	return (k > s->sct_sc) - (k < s->sct_sc);
}

/*
 * glibc's own static, untranslated text (strerrordesc_np(), glibc 2.32),
 * not strerror(): that may return a buffer its next call, in any thread,
 * overwrites or frees, where zcblk_pt_status_str() promises a static
 * string (and so is thread-safe).
 */
static const char *errno_str(int status)
{
	const char *s = status == INT_MIN ? NULL : strerrordesc_np(-status);

	return s ? s : "Unknown error";
}

ZCBLK_EXPORT const char *zcblk_pt_status_str(int status)
{
	const struct status_name *s;
	unsigned int key;

	if (status == 0)
		return "Success";
	if (status < 0)
		return errno_str(status);
	/* DNR and More say what to do about it, not what it is. */
	key = ZCBLK_NVME_SCT(status) << 8 | ZCBLK_NVME_SC(status);
	s = bsearch(&key, status_names,
		    sizeof(status_names) / sizeof(status_names[0]),
		    sizeof(status_names[0]), cmp_status);
	return s ? s->name : "Unknown NVMe status";
}
