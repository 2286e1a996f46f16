/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzcblk's monitor: the events of the disks, as they are added,
 * changed and removed (zcblk_monitor_*()). Part of <zcblk.h>, which
 * includes this header: include <zcblk.h>. Its conventions hold here.
 */
#ifndef LIBZCBLK_ZCBLK_MONITOR_H
#define LIBZCBLK_ZCBLK_MONITOR_H

#ifndef LIBZCBLK_H
#error "include <zcblk.h>, not <zcblk_monitor.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * struct zcblk_monitor: a subscription to the "monitor" multicast group.
 * Opaque: its own netlink socket (independent of the context it was
 * opened with) and the messages received but not yet handed out.
 */
struct zcblk_monitor;

/**
 * zcblk_monitor_open() - subscribe to the disks' events
 * @ctx: context, used to find the group (it may be closed afterwards)
 * @mon: where the new monitor is stored; untouched on failure
 *
 * From this call on, every disk added (%ZCBLK_CMD_DEV_ADDED), changed by
 * zcblk_dev_set() (%ZCBLK_CMD_DEV_CHANGED) or removed
 * (%ZCBLK_CMD_DEV_REMOVED) gives one event, in the order the kernel made
 * them; refused requests give none.  No privilege is needed.
 *
 * Return: 0; -EOPNOTSUPP if the module has no monitor group; -EINVAL,
 * -ENOMEM, or the negative errno of a failed socket call.
 */
ZCBLK_EXPORT int zcblk_monitor_open(struct zcblk_ctx *ctx,
				    struct zcblk_monitor **mon);

/**
 * zcblk_monitor_close() - unsubscribe and free the monitor
 * @mon: a monitor from zcblk_monitor_open(), or NULL (nothing is done)
 */
ZCBLK_EXPORT void zcblk_monitor_close(struct zcblk_monitor *mon);

/**
 * zcblk_monitor_fd() - the monitor's file descriptor, for poll()
 * @mon: monitor
 *
 * Readable (POLLIN) when events are waiting in the socket.  Events the
 * library has already received are not visible there: after poll() says
 * readable, call zcblk_monitor_next() with a timeout of 0 until it
 * returns 0.  The descriptor is non-blocking and close-on-exec; do not
 * read from it or close it.
 *
 * Return: the descriptor.
 */
ZCBLK_EXPORT int zcblk_monitor_fd(const struct zcblk_monitor *mon);

/**
 * zcblk_monitor_next() - the next event, waiting for it if need be
 * @mon: monitor
 * @event: where the event's type is stored: %ZCBLK_CMD_DEV_ADDED,
 *	%ZCBLK_CMD_DEV_CHANGED or %ZCBLK_CMD_DEV_REMOVED
 * @info: the disk as the event describes it (as zcblk_dev_get() would
 *	have: after the change for DEV_CHANGED; state "dead" for
 *	DEV_REMOVED); @info->size must be set
 * @timeout_ms: how long to wait: -1 for ever, 0 not at all
 *
 * Return: 1 with an event stored; 0 if none came within @timeout_ms;
 * -EINTR if a signal interrupted the wait (so that a program can stop on
 * SIGINT); -ENOBUFS if the socket's buffer overflowed and events were
 * lost (the monitor stays usable: re-read the disks with zcblk_dev_list());
 * -EINVAL if @info->size is too small; another negative errno.
 */
ZCBLK_EXPORT int zcblk_monitor_next(struct zcblk_monitor *mon, __u32 *event,
				    struct zcblk_dev_info *info,
				    int timeout_ms);

/**
 * zcblk_monitor_run() - hand every event to a callback
 * @mon: monitor
 * @cb: called once per event with its type (as zcblk_monitor_next()) and
 *	the disk; a non-zero return value stops the loop and is returned by
 *	zcblk_monitor_run().  @info is only valid during the call
 * @arg: passed to @cb
 *
 * Loops on zcblk_monitor_next() without a timeout.
 *
 * Return: @cb's non-zero value, or the negative errno that ended the
 * loop: -EINTR (a signal), -ENOBUFS (events lost), ...
 */
ZCBLK_EXPORT int zcblk_monitor_run(struct zcblk_monitor *mon,
				   int (*cb)(__u32 event,
					     const struct zcblk_dev_info *info,
					     void *arg),
				   void *arg);

/**
 * zcblk_event_name() - name of a monitor event
 * @event: %ZCBLK_CMD_DEV_ADDED, %ZCBLK_CMD_DEV_CHANGED or
 *	%ZCBLK_CMD_DEV_REMOVED
 *
 * Return: "added", "changed", "removed", or "unknown" for any other
 * value.  A static string.
 */
ZCBLK_EXPORT const char *zcblk_event_name(__u32 event);

#ifdef __cplusplus
}
#endif

#endif /* LIBZCBLK_ZCBLK_MONITOR_H */
