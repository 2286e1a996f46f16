// SPDX-License-Identifier: GPL-2.0
/*
 * The "zcblk" generic netlink family: the control plane. The data path
 * never calls into this file. Documentation/netlink/zcblk.yaml is its
 * specification.
 */
#include <linux/capability.h>
#include <linux/nvme.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "media.h"
#include "netlink.h"
#include "netlink-gen.h"
#include "nvme.h"

/*
 * netlink-gen.[ch] are generated from the spec (Documentation/netlink.rst,
 * "Generated code"): the policies, the genl_ops table of every command but
 * FEATURES and the ZCBLK_NLGRP_* indexes. This file has the handlers and
 * what the generator cannot give on 6.1 and 6.12 alike: the family, the
 * FEATURES op and the CAP_SYS_ADMIN check.
 */

/* Commands that need CAP_SYS_ADMIN (zcblk_nl_pre_doit). */
#define ZCBLK_NL_ADMIN_CMDS	(BIT(ZCBLK_CMD_DEV_ADD) | BIT(ZCBLK_CMD_DEV_DEL) | \
				 BIT(ZCBLK_CMD_DEV_SET))

/* The spec's index limit is a number: it cannot say max-devs - 1. */
static_assert(ZCBLK_MAX_DEVS - 1 == 65535);

/* What FEATURES reports as served. */
#define ZCBLK_NL_CMDS	(BIT(ZCBLK_CMD_DEV_ADD) | BIT(ZCBLK_CMD_DEV_DEL) | \
			 BIT(ZCBLK_CMD_DEV_GET) | BIT(ZCBLK_CMD_DEV_STATS) | \
			 BIT(ZCBLK_CMD_DEV_SET) | BIT(ZCBLK_CMD_FEATURES))

static struct genl_family zcblk_genl_family;

static int zcblk_nl_put_settings(struct sk_buff *skb, struct zcblk_dev *dev)
{
	const struct zcblk_settings *set = &dev->set;

	if (nla_put_u32(skb, ZCBLK_A_DEV_COMPLETION,
			READ_ONCE(set->completion)) ||
	    nla_put_u64_64bit(skb, ZCBLK_A_DEV_COMPLETION_NS,
			      READ_ONCE(set->completion_ns), ZCBLK_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, ZCBLK_A_DEV_LATENCY_NS,
			      READ_ONCE(set->latency_ns), ZCBLK_A_DEV_PAD) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_FAIL_EVERY,
			READ_ONCE(set->fail_every)) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_FAIL_PPM, READ_ONCE(set->fail_ppm)) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_FAIL_STATUS,
			READ_ONCE(set->fail_status)) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_FAIL_OPS, READ_ONCE(set->fail_ops)) ||
	    nla_put_u8(skb, ZCBLK_A_DEV_STALL, READ_ONCE(set->stall)))
		return -EMSGSIZE;
	return 0;
}

/* Ranges of unreadable blocks a dev reply lists, at most */
#define ZCBLK_NL_BAD_RANGES	32

struct zcblk_nl_bad {
	struct sk_buff *skb;
	u32 count;
};

static int zcblk_nl_put_bad_range(u64 lba, u64 nlb, void *arg)
{
	struct zcblk_nl_bad *b = arg;
	struct nlattr *nest;

	if (b->count++ >= ZCBLK_NL_BAD_RANGES)
		return 0;
	nest = nla_nest_start(b->skb, ZCBLK_A_DEV_BAD_RANGE);
	if (!nest ||
	    nla_put_u64_64bit(b->skb, ZCBLK_A_BAD_LBA, lba, ZCBLK_A_BAD_PAD) ||
	    nla_put_u64_64bit(b->skb, ZCBLK_A_BAD_NLB, nlb, ZCBLK_A_BAD_PAD))
		return -EMSGSIZE;
	nla_nest_end(b->skb, nest);
	return 0;
}

/* The unreadable ranges: how many, and the first ZCBLK_NL_BAD_RANGES. */
static int zcblk_nl_put_bad(struct sk_buff *skb, struct zcblk_dev *dev)
{
	struct zcblk_nl_bad b = { .skb = skb };
	int ret;

	ret = zcblk_media_list(dev, zcblk_nl_put_bad_range, &b);
	if (ret)
		return ret;	/* -EMSGSIZE, the only error there is */
	return nla_put_u32(skb, ZCBLK_A_DEV_BAD_COUNT, b.count);
}

static int zcblk_nl_put_dev_locked(struct sk_buff *skb,
				   struct zcblk_dev *dev)
{
	const struct zcblk_config *cfg = &dev->cfg;
	struct zcblk_dev_status st;
	char name[DISK_NAME_LEN];

	lockdep_assert_held(&dev->ctl_lock);
	zcblk_dev_get_status(dev, &st);
	snprintf(name, sizeof(name), "zcblk%u", dev->index);
	/* No block device (zoned.rst, integrity.rst): no disk-name */
	if ((!dev->no_bdev &&
	     nla_put_string(skb, ZCBLK_A_DEV_DISK_NAME, name)) ||
	    nla_put_string(skb, ZCBLK_A_DEV_CHAR_NAME, strcat(name, "c")) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_STATE, st.state) ||
	    nla_put_string(skb, ZCBLK_A_DEV_BACKEND, cfg->backend->name) ||
	    nla_put_u64_64bit(skb, ZCBLK_A_DEV_SIZE, cfg->size,
			      ZCBLK_A_DEV_PAD) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_BLOCK_SIZE, cfg->block_size) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_NR_QUEUES, cfg->nr_queues) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_POLL_QUEUES, cfg->poll_queues) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_QUEUE_DEPTH, cfg->queue_depth) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_NODE_UID,
			from_kuid_munged(current_user_ns(), cfg->node_uid)) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_NODE_GID,
			from_kgid_munged(current_user_ns(), cfg->node_gid)) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_NODE_MODE, cfg->node_mode) ||
	    nla_put_u64_64bit(skb, ZCBLK_A_DEV_ALLOC_BYTES, st.alloc_bytes,
			      ZCBLK_A_DEV_PAD) ||
	    (cfg->path && nla_put_string(skb, ZCBLK_A_DEV_PATH, cfg->path)) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_FLAGS, cfg->flags) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_METADATA_SIZE, cfg->metadata_size) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_PI_TYPE, cfg->pi_type) ||
	    nla_put_u64_64bit(skb, ZCBLK_A_DEV_WRITE_CACHE, cfg->write_cache,
			      ZCBLK_A_DEV_PAD) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_POWER,
			zcblk_power_off(dev) ? ZCBLK_POWER_STATE_CUT :
						 ZCBLK_POWER_STATE_ON) ||
	    nla_put_u32(skb, ZCBLK_A_DEV_TIMEOUT_MS, cfg->timeout_ms))
		return -EMSGSIZE;
	if ((cfg->flags & ZCBLK_DEV_F_ZONED) &&
	    (nla_put_u64_64bit(skb, ZCBLK_A_DEV_ZONE_SIZE, cfg->zone_size,
			       ZCBLK_A_DEV_PAD) ||
	     nla_put_u64_64bit(skb, ZCBLK_A_DEV_ZONE_CAPACITY,
			       cfg->zone_capacity, ZCBLK_A_DEV_PAD) ||
	     nla_put_u32(skb, ZCBLK_A_DEV_ZONE_NR_CONV, cfg->zone_nr_conv) ||
	     nla_put_u32(skb, ZCBLK_A_DEV_ZONE_MAX_OPEN, cfg->zone_max_open) ||
	     nla_put_u32(skb, ZCBLK_A_DEV_ZONE_MAX_ACTIVE,
			 cfg->zone_max_active)))
		return -EMSGSIZE;
	if ((cfg->flags & ZCBLK_DEV_F_FDP) &&
	    (nla_put_u64_64bit(skb, ZCBLK_A_DEV_FDP_RU_SIZE, cfg->fdp_ru_size,
			       ZCBLK_A_DEV_PAD) ||
	     nla_put_u32(skb, ZCBLK_A_DEV_FDP_NRUH, cfg->fdp_nruh) ||
	     nla_put_u32(skb, ZCBLK_A_DEV_FDP_NRG, cfg->fdp_nrg) ||
	     nla_put_u32(skb, ZCBLK_A_DEV_FDP_NPH, cfg->fdp_nph) ||
	     nla_put_u32(skb, ZCBLK_A_DEV_FDP_RUH_TYPE, cfg->fdp_ruh_type)))
		return -EMSGSIZE;
	if (zcblk_nl_put_bad(skb, dev))
		return -EMSGSIZE;
	return zcblk_nl_put_settings(skb, dev);
}

/*
 * Under the disk's ctl_lock: no Format NVM or DEV_SET seen half done. Their
 * disk's description waits for them (killably: DEV_GET's, which changes
 * nothing); other disks' do not. What announces or answers a change is
 * filled under the hold that made it (zcblk_nl_put_dev_locked()).
 */
static int zcblk_nl_put_dev(struct sk_buff *skb, struct zcblk_dev *dev)
{
	int ret;

	if (mutex_lock_killable(&dev->ctl_lock))
		return -EINTR;
	ret = zcblk_nl_put_dev_locked(skb, dev);
	mutex_unlock(&dev->ctl_lock);
	return ret;
}

static int zcblk_nl_put_stats(struct sk_buff *skb, struct zcblk_dev *dev)
{
	struct zcblk_io_stats st;
	/* Unpinned first: pinned_current never reads below what is pinned */
	s64 unpinned = atomic64_read(&dev->pins.unpinned);
	s64 pinned = atomic64_read(&dev->pins.pinned);
	struct nlattr *nest;

	zcblk_stats_sum(dev, &st);
	nest = nla_nest_start(skb, ZCBLK_A_DEV_STATS);
	if (!nest)
		return -EMSGSIZE;
#define PUT64(attr, val) \
	nla_put_u64_64bit(skb, ZCBLK_A_STATS_##attr, val, ZCBLK_A_STATS_PAD)
	if (PUT64(READ_CMDS, st.read_cmds) ||
	    PUT64(WRITE_CMDS, st.write_cmds) ||
	    PUT64(READ_BYTES, st.read_bytes) ||
	    PUT64(WRITE_BYTES, st.write_bytes) ||
	    PUT64(ERRORS, st.errors) ||
	    nla_put_u32(skb, ZCBLK_A_STATS_PT_INFLIGHT,
			(u32)max_t(s64, st.pt_inflight, 0)) ||
	    PUT64(PINNED_PAGES, pinned) ||
	    PUT64(UNPINNED_PAGES, unpinned) ||
	    PUT64(PINNED_CURRENT, pinned - unpinned) ||
	    PUT64(FIXED_BYTES, st.fixed_bytes) ||
	    PUT64(COPIED_BYTES, st.copied_bytes) ||
	    PUT64(FLUSHES, st.flushes) ||
	    PUT64(TIMEOUTS, st.timeouts) ||
	    PUT64(INJECTED, st.injected) ||
	    PUT64(CACHE_DIRTY_BYTES, zcblk_wc_dirty(dev)) ||
	    PUT64(FUA_WRITES, st.fua_writes) ||
	    PUT64(CUT_LOST_WRITES, atomic64_read(&dev->wc.lost_writes)) ||
	    PUT64(CUT_LOST_BLOCKS, atomic64_read(&dev->wc.lost_blocks))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
#undef PUT64
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * One message about @dev: its attributes (DEV_GET) or counters (STATS).
 * @locked: the caller holds the disk's ctl_lock (events, and the replies
 * of DEV_ADD and DEV_SET); then the attributes cannot fail with -EINTR.
 */
static int zcblk_nl_fill(struct sk_buff *skb, struct zcblk_dev *dev,
			 u32 portid, u32 seq, int flags, u8 cmd,
			 struct netlink_callback *cb, bool locked)
{
	void *hdr;
	int ret;

	hdr = genlmsg_put(skb, portid, seq, &zcblk_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	ret = nla_put_u32(skb, ZCBLK_A_DEV_INDEX, dev->index);
	if (!ret && cmd == ZCBLK_CMD_DEV_STATS)
		ret = zcblk_nl_put_stats(skb, dev);
	else if (!ret)
		ret = locked ? zcblk_nl_put_dev_locked(skb, dev) :
			       zcblk_nl_put_dev(skb, dev);
	if (ret) {
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int zcblk_nl_reply_dev(struct genl_info *info, struct sk_buff *msg,
			      struct zcblk_dev *dev)
{
	int ret;

	ret = zcblk_nl_fill(msg, dev, info->snd_portid, info->snd_seq, 0,
			    info->genlhdr->cmd, NULL, false);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/*
 * What a DEV_ADD, DEV_SET or DEV_DEL sends: its reply (none for DEV_DEL)
 * and its event, both allocated before the change, so that a change made
 * is answered and announced, and both filled under the ctl_lock held
 * since the change was made (dev.h): a disk's events are multicast, and
 * so reach every listener, in the order of its changes. The reply goes
 * out once the lock is let go.
 */
struct zcblk_nl_report {
	struct genl_info *info;
	struct sk_buff *reply;
	struct sk_buff *event;	/* NULL once multicast or dropped */
	int ret;		/* of filling @reply: 0 or -EMSGSIZE */
};

static int zcblk_nl_report_alloc(struct zcblk_nl_report *r,
				 struct genl_info *info, bool reply)
{
	r->info = info;
	r->ret = 0;
	r->reply = reply ? genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL) : NULL;
	r->event = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (r->event && (r->reply || !reply))
		return 0;
	nlmsg_free(r->reply);
	nlmsg_free(r->event);
	return -ENOMEM;
}

/* The DEV_ADDED/CHANGED/REMOVED event to the monitor group. */
static void zcblk_nl_notify(struct zcblk_nl_report *r, struct zcblk_dev *dev,
			    u8 cmd)
{
	struct sk_buff *msg = r->event;

	lockdep_assert_held(&dev->ctl_lock);
	r->event = NULL;
	if (zcblk_nl_fill(msg, dev, 0, 0, 0, cmd, NULL, true)) {
		nlmsg_free(msg);
		return;
	}
	/* -ESRCH just means nobody listens. */
	genlmsg_multicast(&zcblk_genl_family, msg, 0, ZCBLK_NLGRP_MONITOR,
			  GFP_KERNEL);
}

/* The reply, with the disk as the change left it; under ctl_lock too. */
static void zcblk_nl_report_fill(struct zcblk_nl_report *r,
				 struct zcblk_dev *dev)
{
	r->ret = zcblk_nl_fill(r->reply, dev, r->info->snd_portid,
			       r->info->snd_seq, 0, r->info->genlhdr->cmd,
			       NULL, true);
}

/*
 * After the request (@ret): its reply sent, or freed and @ret (or the
 * fill's error) returned; its event, if not sent, freed: nothing changed.
 */
static int zcblk_nl_report_end(struct zcblk_nl_report *r, int ret)
{
	nlmsg_free(r->event);
	if (!ret)
		ret = r->ret;
	if (ret || !r->reply) {
		nlmsg_free(r->reply);
		return ret;
	}
	return genlmsg_reply(r->reply, r->info);
}

/* zcblk_dev_add()'s @added: the disk is LIVE, under its ctl_lock. */
static void zcblk_nl_added(struct zcblk_dev *dev, void *arg)
{
	zcblk_nl_notify(arg, dev, ZCBLK_CMD_DEV_ADDED);
	zcblk_nl_report_fill(arg, dev);
}

/* zcblk_dev_change()'s @changed: zcblk_dev_set() ran, under ctl_lock. */
static void zcblk_nl_changed(struct zcblk_dev *dev, int ret, void *arg)
{
	/*
	 * Announced even when an action failed: the settings before it, a
	 * bad list changed but not saved, a cut whose backend failed, are
	 * changes; the event carries the disk as it is.
	 */
	zcblk_nl_notify(arg, dev, ZCBLK_CMD_DEV_CHANGED);
	if (!ret)
		zcblk_nl_report_fill(arg, dev);
}

/*
 * zcblk_dev_del()'s @removed: the disk is DEAD, under its ctl_lock, its
 * index not yet free. The configuration outlives the teardown.
 */
static void zcblk_nl_removed(struct zcblk_dev *dev, void *arg)
{
	zcblk_nl_notify(arg, dev, ZCBLK_CMD_DEV_REMOVED);
}

/**
 * zcblk_nl_dev_add_doit() - DEV_ADD: make a disk, reply with it, announce it
 * @skb: the request
 * @info: its parsed attributes (the generated policy checked them)
 *
 * Context: process context, CAP_SYS_ADMIN checked in pre_doit.
 * Return: 0, or a negative errno with an extack message.
 */
int zcblk_nl_dev_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zcblk_config cfg = {};
	struct zcblk_nl_report r;
	int ret;

	ret = zcblk_nl_parse_add(info, &cfg);
	if (ret)
		return ret;

	/* Allocated first: a disk, once made, must be reported. */
	ret = zcblk_nl_report_alloc(&r, info, true);
	if (ret)
		return ret;
	ret = zcblk_nl_parse_path(info, &cfg);
	if (ret)
		return zcblk_nl_report_end(&r, ret);
	/*
	 * From here the path is the disk's, even if it is not made. Made,
	 * it is announced and described before a DEV_SET, DEV_DEL or Format
	 * NVM of it can begin (zcblk_nl_added()).
	 */
	ret = zcblk_dev_add(&cfg, zcblk_nl_added, &r, info->extack);
	return zcblk_nl_report_end(&r, ret);
}

/**
 * zcblk_nl_dev_del_doit() - DEV_DEL: remove a disk and announce it
 * @skb: the request
 * @info: its parsed attributes
 *
 * Context: process context, CAP_SYS_ADMIN checked in pre_doit; waits for
 * the disk's teardown, never for userspace.
 * Return: 0, or a negative errno (-ENODEV: no such disk).
 */
int zcblk_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zcblk_nl_report r;
	u32 index;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, ZCBLK_A_DEV_INDEX)) {
		NL_SET_ERR_MSG(info->extack, "index: missing");
		return -EINVAL;
	}
	index = nla_get_u32(info->attrs[ZCBLK_A_DEV_INDEX]);
	ret = zcblk_nl_report_alloc(&r, info, false);
	if (ret)
		return ret;
	/* DEV_REMOVED goes out before a DEV_ADD can take the index again. */
	ret = zcblk_dev_del(index, zcblk_nl_removed, &r, info->extack);
	return zcblk_nl_report_end(&r, ret);
}

/**
 * zcblk_nl_dev_set_doit() - DEV_SET: change a disk's live settings
 * @skb: the request
 * @info: its parsed attributes
 *
 * Context: process context, CAP_SYS_ADMIN checked in pre_doit.
 * Return: 0 with the disk as the reply, or a negative errno.
 */
int zcblk_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zcblk_settings set = {};
	struct zcblk_nl_report r;
	u32 index;
	u64 mask;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, ZCBLK_A_DEV_INDEX)) {
		NL_SET_ERR_MSG(info->extack, "index: missing");
		return -EINVAL;
	}
	ret = zcblk_nl_parse_settings(info, &set, &mask);
	if (ret)
		return ret;
	index = nla_get_u32(info->attrs[ZCBLK_A_DEV_INDEX]);
	/* Allocated first: a change, once made, must be reported. */
	ret = zcblk_nl_report_alloc(&r, info, true);
	if (ret)
		return ret;
	/* Announced and described under the lock it is made under */
	ret = zcblk_dev_change(index, &set, mask, zcblk_nl_changed, &r,
			       info->extack);
	return zcblk_nl_report_end(&r, ret);
}

/**
 * zcblk_nl_dev_get_doit() - DEV_GET and DEV_STATS for one disk
 * @skb: the request
 * @info: its parsed attributes
 *
 * Context: process context; open to every user.
 * Return: 0 with the disk as the reply, or a negative errno.
 */
int zcblk_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct zcblk_dev *dev;
	struct sk_buff *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, ZCBLK_A_DEV_INDEX)) {
		NL_SET_ERR_MSG(info->extack, "index: missing");
		return -EINVAL;
	}
	dev = zcblk_dev_get(nla_get_u32(info->attrs[ZCBLK_A_DEV_INDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[ZCBLK_A_DEV_INDEX],
				    "index: no such disk");
		return -ENODEV;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put_dev;
	}
	ret = zcblk_nl_reply_dev(info, msg, dev);
out_put_dev:
	zcblk_dev_put(dev);
	return ret;
}

/**
 * zcblk_nl_dev_stats_doit() - DEV_STATS for one disk
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: as zcblk_nl_dev_get_doit(), whose reply carries the counters.
 */
int zcblk_nl_dev_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	return zcblk_nl_dev_get_doit(skb, info);
}

/**
 * zcblk_nl_dev_get_dumpit() - DEV_GET and DEV_STATS dumps
 * @skb: the message to fill
 * @cb: the dump's state; cb->args[0] is the index to resume from
 *
 * Context: process context; open to every user.
 * Return: the length filled; 0 once every disk is in.
 */
int zcblk_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genlmsghdr *ghdr = nlmsg_data(cb->nlh);
	u32 index = cb->args[0];
	struct zcblk_dev *dev;
	int ret;

	/* A disk added or removed before this part flags its messages. */
	cb->seq = zcblk_dev_generation();
	while ((dev = zcblk_dev_get_next(&index))) {
		ret = zcblk_nl_fill(skb, dev, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    ghdr->cmd, cb, false);
		zcblk_dev_put(dev);
		/*
		 * One that does not fit even an empty part (a path near
		 * PATH_MAX, a reader whose buffer set the part's size below
		 * it): an error, not the end of the list.
		 */
		if (ret && !skb->len)
			return ret;
		if (ret)
			break;
		index++;
	}
	cb->args[0] = index;
	/*
	 * One added or removed while this part was walked, after the read
	 * above: the next part's first message says so, or NLMSG_DONE if
	 * this was the last, which the netlink core checks against cb->seq.
	 * Without this a disk deleted between the last part's read and its
	 * walk went unflagged (netlink_events dump_consistency, once in
	 * about 35 000 dumps on 6.1 under load).
	 */
	cb->seq = zcblk_dev_generation();
	return skb->len;
}

/**
 * zcblk_nl_dev_stats_dumpit() - DEV_STATS dump
 * @skb: the message to fill
 * @cb: the dump's state
 *
 * Return: as zcblk_nl_dev_get_dumpit().
 */
int zcblk_nl_dev_stats_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return zcblk_nl_dev_get_dumpit(skb, cb);
}

static int zcblk_nl_put_backend(const char *name, void *skb)
{
	return nla_put_string(skb, ZCBLK_A_FEAT_BACKEND, name);
}

static int zcblk_nl_features(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &zcblk_genl_family, 0,
				ZCBLK_CMD_FEATURES);
	if (!hdr ||
	    zcblk_backends_each(zcblk_nl_put_backend, msg) ||
	    nla_put_u32(msg, ZCBLK_A_FEAT_CMDS, ZCBLK_NL_CMDS) ||
	    nla_put_u32(msg, ZCBLK_A_FEAT_DEV_FLAGS, ZCBLK_DEV_F_MASK) ||
	    nla_put_u32(msg, ZCBLK_A_FEAT_COMPLETIONS,
			GENMASK(ZCBLK_COMPLETION_MAX, 1)) ||
	    nla_put_u32(msg, ZCBLK_A_FEAT_FAIL_OPS,
			GENMASK(ZCBLK_FAIL_OPS_MAX, 1)) ||
	    nla_put_u32(msg, ZCBLK_A_FEAT_MAX_DEVS, zcblk_max_disks()) ||
	    nla_put_u32(msg, ZCBLK_A_FEAT_MAX_QUEUES, ZCBLK_MAX_QUEUES) ||
	    nla_put_u32(msg, ZCBLK_A_FEAT_MAX_QUEUE_DEPTH,
			ZCBLK_MAX_QUEUE_DEPTH) ||
	    nla_put_u32(msg, ZCBLK_A_FEAT_MAX_TRANSFER, ZCBLK_MAX_TRANSFER) ||
	    nla_put_string(msg, ZCBLK_A_FEAT_VERSION, ZCBLK_VERSION) ||
	    nla_put_u32(msg, ZCBLK_A_FEAT_CUT_MODES,
			GENMASK(ZCBLK_CUT_MODE_MAX, ZCBLK_CUT_MODE_DROP))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int zcblk_nl_pre_doit(const struct zcblk_genl_hook_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
{
	if ((BIT(ops->cmd) & ZCBLK_NL_ADMIN_CMDS) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack, "CAP_SYS_ADMIN required");
		return -EPERM;
	}
	return 0;
}

/*
 * FEATURES, hand-written: the generator's per-op table (zcblk_nl_ops) wants
 * a request policy for every command, and FEATURES takes no attributes.
 * ops and small_ops together are served by 6.1 and 6.12 alike.
 */
static const struct genl_small_ops zcblk_genl_small_ops[] = {
	{
		.cmd	= ZCBLK_CMD_FEATURES,
		.doit	= zcblk_nl_features,
	},
};

/*
 * The generated zcblk_nl_mcgrps is static to netlink-gen.c, made for the
 * family struct the generator writes only for "genetlink" specs: this one
 * is hand-written (pre_doit, resv_start_op, netnsok), so is its table.
 */
static const struct genl_multicast_group zcblk_genl_mcgrps[] = {
	[ZCBLK_NLGRP_MONITOR] = { .name = ZCBLK_GENL_MCGRP_MONITOR },
};

static struct genl_family zcblk_genl_family __ro_after_init = {
	.name		= ZCBLK_GENL_NAME,
	.version	= ZCBLK_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= false,
	/* zcblk_devs_lock and each disk's ctl_lock serialise; see dev.h */
	.parallel_ops	= true,
	.resv_start_op	= 0,	/* strict validation for every command */
	.pre_doit	= zcblk_nl_pre_doit,
	.ops		= zcblk_nl_ops,	/* generated */
	.n_ops		= ARRAY_SIZE(zcblk_nl_ops),
	.small_ops	= zcblk_genl_small_ops,
	.n_small_ops	= ARRAY_SIZE(zcblk_genl_small_ops),
	.mcgrps		= zcblk_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(zcblk_genl_mcgrps),
};

/**
 * zcblk_netlink_init() - Register the "zcblk" generic netlink family.
 *
 * Return: 0, or a negative errno from genl_register_family().
 */
int __init zcblk_netlink_init(void)
{
	return genl_register_family(&zcblk_genl_family);
}

/**
 * zcblk_netlink_exit() - Unregister the "zcblk" generic netlink family.
 */
void zcblk_netlink_exit(void)
{
	genl_unregister_family(&zcblk_genl_family);
}
