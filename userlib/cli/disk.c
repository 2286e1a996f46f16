// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl: how a disk is printed, the same way by every command that
 * shows one (list, show, add -j, set -j, monitor).
 */
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

const char *json_bool(int b)
{
	return b ? "true" : "false";
}

void json_disk_members(const struct zcblk_dev_info *x)
{
	printf("\"index\": %u, \"name\": ", x->index);
	/* null: no block device (a zone size not a power of two) */
	if (x->disk_name[0])
		json_string(x->disk_name);
	else
		printf("null");
	printf(", \"char_name\": ");
	json_string(x->char_name);
	printf(", \"backend\": ");
	json_string(x->backend);
	printf(", \"size\": %llu, \"block_size\": %u, \"nr_queues\": %u, "
	       "\"poll_queues\": %u, \"queue_depth\": %u, \"state\": ",
	       (unsigned long long)x->disk_size, x->block_size,
	       x->nr_queues, x->poll_queues, x->queue_depth);
	json_string(zcblk_state_name(x->state));
	printf(", \"alloc_bytes\": %llu, \"node_uid\": %u, "
	       "\"node_gid\": %u, \"node_mode\": %u, \"path\": ",
	       (unsigned long long)x->alloc_bytes, x->node_uid,
	       x->node_gid, x->node_mode);
	if (x->path[0])
		json_string(x->path);
	else
		printf("null");
	printf(", \"read_only\": %s, \"buffered\": %s, \"zoned\": %s",
	       json_bool(x->flags & ZCBLK_DEV_F_READ_ONLY),
	       json_bool(x->flags & ZCBLK_DEV_F_BUFFERED),
	       json_bool(x->flags & ZCBLK_DEV_F_ZONED));
	/* The zone geometry: zoned disks only. */
	if (x->flags & ZCBLK_DEV_F_ZONED)
		printf(", \"zone_size\": %llu, \"zone_capacity\": %llu, "
		       "\"zone_nr_conv\": %u, \"zone_max_open\": %u, "
		       "\"zone_max_active\": %u",
		       (unsigned long long)x->zone_size,
		       (unsigned long long)x->zone_capacity, x->zone_nr_conv,
		       x->zone_max_open, x->zone_max_active);
	printf(", \"timeout_ms\": %u, \"completion\": ", x->timeout_ms);
	json_string(completion_name(x->completion));
	printf(", \"completion_ns\": %llu, \"latency_ns\": %llu, "
	       "\"fail_every\": %u, \"fail_ppm\": %u, \"fail_status\": %u, "
	       "\"fail_ops\": ",
	       (unsigned long long)x->completion_ns,
	       (unsigned long long)x->latency_ns, x->fail_every, x->fail_ppm,
	       x->fail_status);
	json_string(fail_ops_name(x->fail_ops));
	printf(", \"stall\": %s", json_bool(x->stall));
}

void json_disk(const struct zcblk_dev_info *x)
{
	printf("{");
	json_disk_members(x);
	printf("}");
}

void disk_flags(const struct zcblk_dev_info *x, char *buf, size_t len)
{
	const struct {
		bool on;
		const char *name;
	} flags[] = {
		{ x->flags & ZCBLK_DEV_F_READ_ONLY, "ro" },
		{ x->flags & ZCBLK_DEV_F_BUFFERED, "buf" },
		{ x->flags & ZCBLK_DEV_F_ZONED, "zoned" },
		{ x->stall, "stall" },
		{ x->fail_every || x->fail_ppm, "inject" },
		{ x->latency_ns || (x->completion == ZCBLK_COMPLETION_TIMER &&
				    x->completion_ns), "delay" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		if (flags[i].on && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
				      flags[i].name);
	}
	if (!n)
		snprintf(buf, len, "-");
}
