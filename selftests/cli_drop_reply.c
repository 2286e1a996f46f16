// SPDX-License-Identifier: GPL-2.0
/*
 * An LD_PRELOAD library for cli_errors.sh: zcblkctl as if its disk went
 * away between a DEV_SET and the reply.  The kernel makes the change,
 * then describes the disk; a DEV_DEL that wins the race in between leaves
 * it nothing to describe, and it ACKs the request without a reply.  No
 * request can be timed into that window, so this recv() (libzcblk's
 * zcblk__transact() calls recv(), and zcblkctl takes it from libc.so)
 * swallows every DEV_SET message of the zcblk family, that is the reply,
 * and lets the rest through: the ACK, the controller's answers (family
 * GENL_ID_CTRL), the replies to other commands.  lib_api_ctl's
 * api.set_disk_gone does the same inside one program.
 */
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/zcblk.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	for (;;) {
		ssize_t n = recvfrom(fd, buf, len, flags, NULL, NULL);
		const struct nlmsghdr *nlh = buf;
		const struct genlmsghdr *genl = NLMSG_DATA(nlh);

		if (n < (ssize_t)NLMSG_LENGTH(GENL_HDRLEN) ||
		    nlh->nlmsg_type < NLMSG_MIN_TYPE ||
		    nlh->nlmsg_type == GENL_ID_CTRL ||
		    genl->cmd != ZCBLK_CMD_DEV_SET)
			return n;
	}
}
