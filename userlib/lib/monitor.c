// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The "monitor" multicast group: a socket of its own subscribed to it, and
 * its DEV_ADDED / DEV_CHANGED / DEV_REMOVED events handed out one at a
 * time.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

struct zcblk_monitor {
	int fd;
	__u16 family_id;
	/* Messages of the last datagram not handed out yet. */
	const struct nlmsghdr *next;
	int left;
	/* One event is one datagram; room for a disk with a PATH_MAX path. */
	char buf[ZCBLK_RCV_BUF_SIZE] __attribute__((aligned(8)));
};

ZCBLK_EXPORT const char *zcblk_event_name(__u32 event)
{
	switch (event) {
	case ZCBLK_CMD_DEV_ADDED:
		return "added";
	case ZCBLK_CMD_DEV_CHANGED:
		return "changed";
	case ZCBLK_CMD_DEV_REMOVED:
		return "removed";
	}
	return "unknown";
}

ZCBLK_EXPORT int zcblk_monitor_open(struct zcblk_ctx *ctx,
				    struct zcblk_monitor **monp)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct zcblk_monitor *mon;
	__u32 grp;
	int ret;

	if (!ctx)
		return -EINVAL;
	ctx->errmsg[0] = '\0';
	if (!monp)
		return -EINVAL;
	grp = ctx->monitor_grp;
	if (!grp) {
		zcblk__set_errmsg(ctx, "the module has no \"%s\" group",
				  ZCBLK_GENL_MCGRP_MONITOR);
		return -EOPNOTSUPP;
	}
	mon = calloc(1, sizeof(*mon));
	if (!mon)
		return -ENOMEM;
	mon->family_id = ctx->family_id;
	/*
	 * Non-blocking: zcblk_monitor_next() waits in poll(), so that a
	 * timeout and a signal both end the wait.
	 */
	mon->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			 NETLINK_GENERIC);
	if (mon->fd < 0) {
		ret = -errno;
		goto err_free;
	}
	if (bind(mon->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(mon->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)) < 0) {
		ret = -errno;
		zcblk__set_errmsg(ctx, "cannot join the \"%s\" group",
				  ZCBLK_GENL_MCGRP_MONITOR);
		goto err_close;
	}
	*monp = mon;
	return 0;

err_close:
	close(mon->fd);
err_free:
	free(mon);
	return ret;
}

ZCBLK_EXPORT void zcblk_monitor_close(struct zcblk_monitor *mon)
{
	if (!mon)
		return;
	close(mon->fd);
	free(mon);
}

ZCBLK_EXPORT int zcblk_monitor_fd(const struct zcblk_monitor *mon)
{
	return mon ? mon->fd : -EINVAL;
}

/*
 * The next event among the messages already received: 1 and the event
 * stored, 0 if there are none left, -EBADMSG for an event we cannot read.
 */
static int next_buffered(struct zcblk_monitor *mon, __u32 *event,
			 struct zcblk_dev_info *info)
{
	while (mnl_nlmsg_ok(mon->next, mon->left)) {
		const struct nlmsghdr *nlh = mon->next;
		const struct genlmsghdr *genl;
		struct zcblk_dev_info d;

		mon->next = mnl_nlmsg_next(nlh, &mon->left);
		if (nlh->nlmsg_type != mon->family_id ||
		    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
			continue;
		genl = mnl_nlmsg_get_payload(nlh);
		if (genl->cmd != ZCBLK_CMD_DEV_ADDED &&
		    genl->cmd != ZCBLK_CMD_DEV_CHANGED &&
		    genl->cmd != ZCBLK_CMD_DEV_REMOVED)
			continue;	/* an event newer than us */
		if (zcblk__parse_dev(nlh, &d))
			return -EBADMSG;
		*event = genl->cmd;
		zcblk__copy_info_out(info, &d);
		return 1;
	}
	mon->left = 0;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Receive one datagram into mon->buf: 1, 0 if none is waiting, -errno. */
static int receive(struct zcblk_monitor *mon)
{
	struct sockaddr_nl sa;
	struct iovec iov = { mon->buf, sizeof(mon->buf) };
	struct msghdr msg = {
		.msg_name = &sa,
		.msg_namelen = sizeof(sa),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t len;

	len = recvmsg(mon->fd, &msg, 0);
	if (len < 0)
		return errno == EAGAIN ? 0 : -errno;
	/* Only the kernel sends to the group; a cut message is useless. */
	if (sa.nl_pid != 0 || (msg.msg_flags & MSG_TRUNC))
		return 1;
	mon->next = (const struct nlmsghdr *)mon->buf;
	mon->left = len;
	return 1;
}

ZCBLK_EXPORT int zcblk_monitor_next(struct zcblk_monitor *mon, __u32 *event,
				    struct zcblk_dev_info *info,
				    int timeout_ms)
{
	long long deadline = 0;
	int ret;

	if (!mon || !event || !info ||
	    info->size < ZCBLK_DEV_INFO_SIZE_VER1)
		return -EINVAL;
	if (timeout_ms > 0)
		deadline = now_ms() + timeout_ms;

	for (;;) {
		struct pollfd pfd = { .fd = mon->fd, .events = POLLIN };
		int wait;

		ret = next_buffered(mon, event, info);
		if (ret)
			return ret;
		ret = receive(mon);
		if (ret < 0)
			return ret;
		if (ret)
			continue;
		/* Nothing waiting: sleep until something is, or time is up. */
		if (timeout_ms < 0) {
			wait = -1;
		} else if (timeout_ms == 0) {
			return 0;
		} else {
			long long left = deadline - now_ms();

			if (left <= 0)
				return 0;
			wait = left;
		}
		if (poll(&pfd, 1, wait) < 0)
			return -errno;
	}
}

ZCBLK_EXPORT int zcblk_monitor_run(struct zcblk_monitor *mon,
				   int (*cb)(__u32 event,
					     const struct zcblk_dev_info *info,
					     void *arg),
				   void *arg)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	__u32 event;
	int ret;

	if (!mon || !cb)
		return -EINVAL;
	for (;;) {
		ret = zcblk_monitor_next(mon, &event, &info, -1);
		if (ret < 0)
			return ret;
		ret = cb(event, &info, arg);
		if (ret)
			return ret;
	}
}
