// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl: how a disk is printed, the same way by every command that
 * shows one (list, show, add -j, set -j, monitor).
 */
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

void json_disk_members(const struct zcblk_dev_info *x)
{
	json_kv_u64("index", x->index);
	/* null: no block device (a zone size not a power of two) */
	json_key("disk_name");
	json_string_or_null(x->disk_name);
	json_kv_string("char_name", x->char_name);
	json_kv_string("backend", x->backend);
	json_kv_u64("size", x->disk_size);
	json_kv_u64("block_size", x->block_size);
	json_kv_u64("nr_queues", x->nr_queues);
	json_kv_u64("poll_queues", x->poll_queues);
	json_kv_u64("queue_depth", x->queue_depth);
	json_kv_string("state", zcblk_state_name(x->state));
	json_kv_u64("alloc_bytes", x->alloc_bytes);
	json_kv_u64("node_uid", x->node_uid);
	json_kv_u64("node_gid", x->node_gid);
	json_kv_u64("node_mode", x->node_mode);
	json_key("path");
	json_string_or_null(x->path);
	/* The flags attribute: a boolean per bit. */
	json_kv_bool("read_only", x->flags & ZCBLK_DEV_F_READ_ONLY);
	json_kv_bool("buffered", x->flags & ZCBLK_DEV_F_BUFFERED);
	json_kv_bool("zoned", x->flags & ZCBLK_DEV_F_ZONED);
	json_kv_bool("fdp", x->flags & ZCBLK_DEV_F_FDP);
	json_kv_bool("extended_lba", x->flags & ZCBLK_DEV_F_EXTENDED_LBA);
	json_kv_u64("metadata_size", x->metadata_size);
	json_kv_u64("pi_type", x->pi_type);
	json_kv_bool("pi_first", x->flags & ZCBLK_DEV_F_PI_FIRST);
	json_kv_bool("pi_guard64", x->flags & ZCBLK_DEV_F_PI_GUARD64);
	json_kv_u64("write_cache", x->write_cache);
	/* The zone geometry: zoned disks only. */
	if (x->flags & ZCBLK_DEV_F_ZONED) {
		json_kv_u64("zone_size", x->zone_size);
		json_kv_u64("zone_capacity", x->zone_capacity);
		json_kv_u64("zone_nr_conv", x->zone_nr_conv);
		json_kv_u64("zone_max_open", x->zone_max_open);
		json_kv_u64("zone_max_active", x->zone_max_active);
	}
	/* Flexible Data Placement: FDP disks only. */
	if (x->flags & ZCBLK_DEV_F_FDP) {
		json_kv_u64("fdp_ru_size", x->fdp_ru_size);
		json_kv_u64("fdp_nruh", x->fdp_nruh);
		json_kv_u64("fdp_nrg", x->fdp_nrg);
		json_kv_u64("fdp_nph", x->fdp_nph);
		json_kv_string("fdp_ruh_type", ruh_type_name(x->fdp_ruh_type));
	}
	json_kv_u64("timeout_ms", x->timeout_ms);
	json_kv_string("completion", completion_name(x->completion));
	json_kv_u64("completion_ns", x->completion_ns);
	json_kv_u64("latency_ns", x->latency_ns);
	json_kv_u64("fail_every", x->fail_every);
	json_kv_u64("fail_ppm", x->fail_ppm);
	json_kv_u64("fail_status", x->fail_status);
	json_kv_string("fail_ops", fail_ops_name(x->fail_ops));
	json_kv_bool("stall", x->stall);
	json_kv_string("power", power_name(x->power));
	/* Ranges of unreadable blocks; show -j lists them (bad_blocks). */
	json_kv_u64("bad_count", x->bad_count);
}

void json_disk(const struct zcblk_dev_info *x)
{
	json_object_begin();
	json_disk_members(x);
	json_object_end();
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
		{ x->flags & ZCBLK_DEV_F_FDP, "fdp" },
		{ x->stall, "stall" },
		{ x->power == ZCBLK_POWER_STATE_CUT, "cut" },
		{ x->bad_count, "bad" },
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
