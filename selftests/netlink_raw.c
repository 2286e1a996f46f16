// SPDX-License-Identifier: GPL-2.0
/*
 * The "zcblk" generic netlink family on the wire, with libmnl and without
 * libzcblk (nl_raw.h): requests the library would never send and the
 * exact answer the kernel owes each of them. FEATURES, the monitor group
 * and dump consistency: netlink_events.c.
 *
 * The answers are those of the kernel's strict validation (lib/nlattr.c
 * with NL_VALIDATE_STRICT, which resv_start_op = 0 gives every zcblk
 * command, on 6.1 and 6.12 alike) and of genetlink:
 *   - attribute type 0 or above the command's maxattr (each policy ends at
 *     the last attribute its command takes: INDEX for DEV_DEL, DEV_GET and
 *     DEV_STATS, so SIZE on DEV_DEL or a reply-only STATE on DEV_GET is
 *     above it): -EINVAL "Unknown attribute type"; a type up to maxattr
 *     that the command's policy leaves NLA_UNSPEC (PAD, BACKEND on
 *     DEV_SET, a reply-only attribute on DEV_ADD or DEV_SET): -EINVAL
 *     "Unsupported attribute"; FEATURES, which has no policy, gets
 *     genetlink's reject-all one (maxattr 1, NLA_REJECT): attribute 1 is
 *     -EINVAL "Attribute failed policy validation";
 *   - a fixed-size attribute of another length: -EINVAL (not -ERANGE:
 *     NL_VALIDATE_STRICT_ATTRS); NLA_F_NESTED on a scalar: -EINVAL;
 *   - an NLA_NUL_STRING with no NUL within its length limit + 1: -EINVAL;
 *   - a value outside the policy's range: -ERANGE; outside its mask:
 *     -EINVAL;
 *   - each of those with NLMSGERR_ATTR_OFFS, the offset of the offending
 *     attribute from the start of the request's nlmsghdr;
 *   - bytes that do not make an attribute (an nla_len past the end, a
 *     stub shorter than an attribute header, stray bytes): -EINVAL "bytes
 *     leftover after parsing attributes", no offset;
 *   - a missing required attribute: -EINVAL with NLMSGERR_ATTR_MISS_TYPE;
 *   - unknown command, or dump of a command without one: -EOPNOTSUPP;
 *   - genlmsghdr.reserved != 0 or nlmsg_flags bits genetlink does not
 *     define for requests: -EINVAL, no offset.
 * And zcblk's own: a DEV_SET action's qualifier without its subject
 * (CORRUPT_NLB or CORRUPT without CORRUPT_LBA, BAD_NLB or BAD_CLEAR
 * without BAD_LBA, CUT_MODE or CUT_SEED without POWER cut), which
 * zcblkctl never sends: -EINVAL with its text, no offset, nothing listed.
 * The extack texts quoted above (NLMSGERR_ATTR_MSG) are compared exactly;
 * the other answers' texts are not.
 *
 * Needs root and zcblk.ko loaded (every test skips if the family is
 * missing).
 */

#include <sys/stat.h>

#include "nl_raw.h"

/* lib/nlattr.c's extack texts, the same on 6.1 and 6.12 */
#define MSG_UNKNOWN	"Unknown attribute type"
#define MSG_UNSUPP	"Unsupported attribute"
#define MSG_FAILED	"Attribute failed policy validation"
#define MSG_LEFTOVER	"bytes leftover after parsing attributes"

/* As expect_answer(), and the extack message must be exactly @text. */
static void expect_text(struct __test_metadata *_metadata, struct nlr *r,
			struct msg *m, int err, long offs, const char *text,
			const char *what)
{
	struct ack a;

	ASSERT_EQ(0, nlr_xfer(r, m->nlh, &a, NULL, NULL)) {
		TH_LOG("%s: no answer", what);
	}
	expect_ack(_metadata, &a, err, offs, what);
	EXPECT_STREQ(text, a.msg) {
		TH_LOG("%s: NLMSGERR_ATTR_MSG", what);
	}
}

/*
 * Attribute types 0 and beyond ZCBLK_A_DEV_MAX: -EINVAL "Unknown attribute
 * type" at the attribute; on FEATURES, attribute 1 is its reject-all
 * policy's "Attribute failed policy validation".
 */
TEST_F(raw, unknown_attr_type)
{
	static const uint16_t types[] = { ZCBLK_A_DEV_MAX + 1, 0, 200,
					  0x3fff };	/* the largest type */
	uint32_t index = BASE_INDEX;
	struct msg m;
	unsigned int i;
	long off;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		char what[64];

		snprintf(what, sizeof(what), "DEV_GET + type %u", types[i]);
		msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
		put_u32(&m, ZCBLK_A_DEV_INDEX, index);
		off = put_u32(&m, types[i], 1);
		expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNKNOWN,
			    what);

		snprintf(what, sizeof(what), "DEV_GET dump + type %u",
			 types[i]);
		msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, NLM_F_DUMP);
		off = put_u32(&m, types[i], 1);
		expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNKNOWN,
			    what);
	}

	/* A request that would succeed but for the unknown attribute. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_MAX + 1, 0);
	track(_metadata, self, index);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNKNOWN,
		    "DEV_ADD + unknown type");
	expect_no_disk(_metadata, &self->r, index, "DEV_ADD + unknown type");

	/* FEATURES takes no attribute at all. */
	msg_init(&m, &self->r, ZCBLK_CMD_FEATURES, 0);
	off = put_u32(&m, ZCBLK_A_FEAT_BACKEND, 0);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_FAILED,
		    "FEATURES + attribute 1");
	msg_init(&m, &self->r, ZCBLK_CMD_FEATURES, 0);
	off = put_u32(&m, ZCBLK_A_DEV_INDEX, 0);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNKNOWN,
		    "FEATURES + attribute 2");
}

/* Fixed-size attributes of the wrong size: -EINVAL at the attribute. */
TEST_F(raw, wrong_length)
{
	uint32_t index = BASE_INDEX;
	struct msg m;
	long off;

	add_tracked(_metadata, self, "null", index);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	off = put_u16(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_GET index as u16");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	off = put_u64(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_GET index as u64");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	off = put(&m, ZCBLK_A_DEV_INDEX, 0, "");
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_GET index empty");

	/* The disk would be deleted if the u16 were taken. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	off = put_u16(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_DEL index as u16");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	off = put_u32(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
	track(_metadata, self, index + 1);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_ADD size as u32");
	expect_no_disk(_metadata, &self->r, index + 1, "DEV_ADD size as u32");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_STALL, 1);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_SET stall as u32");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_LATENCY_NS, 1000);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_SET latency-ns as u32");
}

/*
 * NLA_F_NESTED on a scalar, a nest where the command has none, and bytes
 * that do not parse as attributes at all.
 */
TEST_F(raw, garbage_and_truncated)
{
	static const char junk[16] = "\x7f\x00\x03\x00garbage-garb";
	uint32_t index = BASE_INDEX;
	uint32_t v = index;
	struct nlattr inner;
	char nest[64];
	struct msg m;
	long off;

	add_tracked(_metadata, self, "null", index);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	off = put_raw(&m, ZCBLK_A_DEV_INDEX | NLA_F_NESTED, 8, &v, 4);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_DEL index with NLA_F_NESTED");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	/*
	 * STATS is a nest in replies only: refused as an attribute the
	 * command does not take before its inside (junk) is read.
	 */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_raw(&m, ZCBLK_A_DEV_STATS | NLA_F_NESTED, 4 + 16, junk, 16);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNSUPP,
		    "DEV_SET + nest of garbage");

	/* A nest whose inner attribute overruns it: the same refusal. */
	inner.nla_type = ZCBLK_A_STATS_READ_CMDS;
	inner.nla_len = 200;
	memset(nest, 0, sizeof(nest));
	memcpy(nest, &inner, sizeof(inner));
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
	off = put_raw(&m, ZCBLK_A_DEV_STATS | NLA_F_NESTED, 4 + 12, nest, 12);
	track(_metadata, self, index + 1);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNSUPP,
		    "DEV_ADD + truncated nest");
	expect_no_disk(_metadata, &self->r, index + 1,
		       "DEV_ADD + truncated nest");

	/* An attribute running past the end of the message. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_raw(&m, ZCBLK_A_DEV_INDEX, 100, &v, 4);
	expect_text(_metadata, &self->r, &m, -EINVAL, NO_OFFS, MSG_LEFTOVER,
		    "DEV_DEL index with nla_len past the end");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	/* A valid index, then an attribute header shorter than itself. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	put_raw(&m, ZCBLK_A_DEV_SIZE, 2, &v, 4);
	expect_text(_metadata, &self->r, &m, -EINVAL, NO_OFFS, MSG_LEFTOVER,
		    "DEV_DEL + nla_len 2");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	/* Three stray bytes after the attributes. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	memcpy(m.buf + m.nlh->nlmsg_len, "xyz", 3);
	m.nlh->nlmsg_len += 3;
	expect_text(_metadata, &self->r, &m, -EINVAL, NO_OFFS, MSG_LEFTOVER,
		    "DEV_DEL + 3 stray bytes");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	/* A message too short for its genlmsghdr. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	m.nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "genlmsghdr cut short");
}

/* NLA_NUL_STRING attributes without their NUL (or too long for it). */
TEST_F(raw, string_without_nul)
{
	static const char long16[] = "abcdefghijklmnop";	/* 16 + NUL */
	static const char unknown15[] = "nosuchbackend15";	/* 15 + NUL */
	uint32_t index = BASE_INDEX;
	struct msg m;
	long off;

	track(_metadata, self, index);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	off = put(&m, ZCBLK_A_DEV_BACKEND, 3, "mem");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "backend \"mem\" without NUL");
	expect_no_disk(_metadata, &self->r, index, "backend without NUL");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	off = put(&m, ZCBLK_A_DEV_BACKEND, 0, "");
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off, "backend empty");

	/* NUL only past the 15-byte limit + 1. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	off = put_strz(&m, ZCBLK_A_DEV_BACKEND, long16);
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "backend of 16 characters");

	/* Well formed, but no such backend: zcblk's own check, same answer. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	off = put_strz(&m, ZCBLK_A_DEV_BACKEND, unknown15);
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "unknown backend of 15 characters");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "file");
	off = put(&m, ZCBLK_A_DEV_PATH, 8, "/dev/nul");
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "path without NUL");
	expect_no_disk(_metadata, &self->r, index, "strings");
}

/*
 * Attributes the command does not take: -EINVAL at them, "Unknown
 * attribute type" above its policy's maxattr, "Unsupported attribute" at
 * or below it.
 */
TEST_F(raw, attr_not_in_policy)
{
	uint32_t index = BASE_INDEX;
	struct msg m;
	long off;

	add_tracked(_metadata, self, "null", index);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNKNOWN,
		    "DEV_DEL + size");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index)) {
		TH_LOG("the disk went despite the refusal");
	}

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	off = put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNKNOWN,
		    "DEV_DEL size + index");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_PAD, 0);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNSUPP,
		    "DEV_DEL + pad");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_strz(&m, ZCBLK_A_DEV_BACKEND, "mem");
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNSUPP,
		    "DEV_SET + backend");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_TIMEOUT_MS, 1000);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNSUPP,
		    "DEV_SET + timeout-ms (DEV_ADD only)");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_STATE, ZCBLK_DEV_STATE_LIVE);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNKNOWN,
		    "DEV_GET + state (reply only)");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_STATS, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_strz(&m, ZCBLK_A_DEV_DISK_NAME, "zcblk0");
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNKNOWN,
		    "DEV_STATS + disk-name (reply only)");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
	off = put_u64(&m, ZCBLK_A_DEV_ALLOC_BYTES, 0);
	track(_metadata, self, index + 1);
	expect_text(_metadata, &self->r, &m, -EINVAL, off, MSG_UNSUPP,
		    "DEV_ADD + alloc-bytes (reply only)");
	expect_no_disk(_metadata, &self->r, index + 1, "DEV_ADD + alloc-bytes");

	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_DEL, index));
}

/* Values outside the policy's ranges and masks. */
TEST_F(raw, out_of_range)
{
	static const struct {
		uint16_t type;
		int size;	/* bytes: 8, 4, or 1 (STALL) */
		uint64_t value;
		int err;
		bool set;	/* DEV_SET (else DEV_ADD) */
	} cases[] = {
		{ ZCBLK_A_DEV_INDEX, 4, ZCBLK_MAX_DEVS, -ERANGE, false },
		{ ZCBLK_A_DEV_SIZE, 8, 0, -ERANGE, false },
		{ ZCBLK_A_DEV_BLOCK_SIZE, 4, 8192, -ERANGE, false },
		{ ZCBLK_A_DEV_BLOCK_SIZE, 4, 1024, -EINVAL, false },
		{ ZCBLK_A_DEV_NR_QUEUES, 4, 0, -ERANGE, false },
		{ ZCBLK_A_DEV_NR_QUEUES, 4, ZCBLK_MAX_QUEUES + 1, -ERANGE, false },
		{ ZCBLK_A_DEV_QUEUE_DEPTH, 4, ZCBLK_MAX_QUEUE_DEPTH + 1, -ERANGE, false },
		{ ZCBLK_A_DEV_POLL_QUEUES, 4, ZCBLK_MAX_QUEUES + 1, -ERANGE, false },
		{ ZCBLK_A_DEV_NODE_MODE, 4, 01000, -ERANGE, false },
		/* (uid_t)-1 is no user in any namespace: zcblk's own check */
		{ ZCBLK_A_DEV_NODE_UID, 4, UINT32_MAX, -EINVAL, false },
		{ ZCBLK_A_DEV_NODE_GID, 4, UINT32_MAX, -EINVAL, false },
		{ ZCBLK_A_DEV_FLAGS, 4, __ZCBLK_DEV_F_ALL + 1, -EINVAL, false },
		{ ZCBLK_A_DEV_TIMEOUT_MS, 4, 99, -ERANGE, false },
		{ ZCBLK_A_DEV_COMPLETION, 4, 0, -ERANGE, true },
		{ ZCBLK_A_DEV_COMPLETION, 4, ZCBLK_COMPLETION_MAX + 1, -ERANGE, true },
		{ ZCBLK_A_DEV_LATENCY_NS, 8, 10000000001ULL, -ERANGE, true },
		{ ZCBLK_A_DEV_FAIL_PPM, 4, 1000001, -ERANGE, true },
		{ ZCBLK_A_DEV_FAIL_STATUS, 4, 0, -ERANGE, true },
		{ ZCBLK_A_DEV_FAIL_STATUS, 4, 0x8000, -ERANGE, true },
		{ ZCBLK_A_DEV_FAIL_OPS, 4, ZCBLK_FAIL_OPS_MAX + 1, -ERANGE, true },
		{ ZCBLK_A_DEV_STALL, 1, 2, -ERANGE, true },
	};
	uint32_t index = BASE_INDEX;
	struct msg m;
	unsigned int i;
	long off;

	add_tracked(_metadata, self, "null", index);
	track(_metadata, self, index + 1);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char what[64];

		snprintf(what, sizeof(what), "%s attribute %u = %llu",
			 cases[i].set ? "DEV_SET" : "DEV_ADD", cases[i].type,
			 (unsigned long long)cases[i].value);
		if (cases[i].set) {
			msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
			put_u32(&m, ZCBLK_A_DEV_INDEX, index);
		} else {
			msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
			put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
			if (cases[i].type != ZCBLK_A_DEV_SIZE)
				put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
			if (cases[i].type != ZCBLK_A_DEV_INDEX)
				put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
		}
		if (cases[i].size == 8)
			off = put_u64(&m, cases[i].type, cases[i].value);
		else if (cases[i].size == 4)
			off = put_u32(&m, cases[i].type, cases[i].value);
		else
			off = put_u8(&m, cases[i].type, cases[i].value);
		expect_answer(_metadata, &self->r, &m, cases[i].err, off, what);
	}
	expect_no_disk(_metadata, &self->r, index + 1, "out of range");
}

/* A required attribute missing: NLMSGERR_ATTR_MISS_TYPE names it. */
TEST_F(raw, missing_attr)
{
	static const struct {
		uint8_t cmd;
		const char *backend;
		bool size;
		int missing;
	} cases[] = {
		{ ZCBLK_CMD_DEV_DEL, NULL, false, ZCBLK_A_DEV_INDEX },
		{ ZCBLK_CMD_DEV_SET, NULL, false, ZCBLK_A_DEV_INDEX },
		{ ZCBLK_CMD_DEV_GET, NULL, false, ZCBLK_A_DEV_INDEX },
		{ ZCBLK_CMD_DEV_STATS, NULL, false, ZCBLK_A_DEV_INDEX },
		{ ZCBLK_CMD_DEV_ADD, NULL, true, ZCBLK_A_DEV_BACKEND },
		{ ZCBLK_CMD_DEV_ADD, "null", false, ZCBLK_A_DEV_SIZE },
		{ ZCBLK_CMD_DEV_ADD, "file", true, ZCBLK_A_DEV_PATH },
		{ ZCBLK_CMD_DEV_ADD, "file", false, ZCBLK_A_DEV_PATH },
	};
	unsigned int i;
	struct msg m;
	struct ack a;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		msg_init(&m, &self->r, cases[i].cmd, 0);
		if (cases[i].backend)
			put_strz(&m, ZCBLK_A_DEV_BACKEND, cases[i].backend);
		if (cases[i].size)
			put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
		ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, NULL, NULL));
		EXPECT_EQ(-EINVAL, a.err) {
			TH_LOG("cmd %u%s%s without attribute %d: %d \"%s\"",
			       cases[i].cmd, cases[i].backend ? " backend " : "",
			       cases[i].backend ?: "", cases[i].missing, a.err,
			       a.msg);
		}
		EXPECT_EQ(cases[i].missing, a.miss_type) {
			TH_LOG("cmd %u%s%s: NLMSGERR_ATTR_MISS_TYPE %d, want %d "
			       "(\"%s\")", cases[i].cmd,
			       cases[i].backend ? " backend " : "",
			       cases[i].backend ?: "", a.miss_type,
			       cases[i].missing, a.msg);
		}
	}
}

/* The BAD_COUNT of a DEV_GET reply (UINT32_MAX if absent). */
static void bad_count_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct attrs at;

	parse_attrs(nlh, &at, ZCBLK_A_DEV_MAX);
	*(uint32_t *)arg = get_u32(&at, ZCBLK_A_DEV_BAD_COUNT);
}

/*
 * DEV_SET's actions that qualify another: without it, -EINVAL with
 * zcblk's own extack text and no offset, and the disk's bad block list
 * unchanged (empty).
 */
TEST_F(raw, action_without_its_subject)
{
	static const struct {
		uint16_t type;
		int size;	/* bytes: 8, 4, or 1 */
		uint64_t value;
		const char *msg;
	} cases[] = {
		{ ZCBLK_A_DEV_CORRUPT_NLB, 4, 1,
		  "corrupt-nlb, corrupt: only with corrupt-lba" },
		{ ZCBLK_A_DEV_CORRUPT, 4, ZCBLK_CORRUPT_DATA,
		  "corrupt-nlb, corrupt: only with corrupt-lba" },
		{ ZCBLK_A_DEV_BAD_NLB, 4, 1,
		  "bad-nlb, bad-clear: only with bad-lba" },
		{ ZCBLK_A_DEV_BAD_CLEAR, 1, 1,
		  "bad-nlb, bad-clear: only with bad-lba" },
		{ ZCBLK_A_DEV_CUT_MODE, 4, ZCBLK_CUT_MODE_DROP,
		  "cut-mode, cut-seed: only with power cut" },
		{ ZCBLK_A_DEV_CUT_SEED, 8, 1,
		  "cut-mode, cut-seed: only with power cut" },
	};
	uint32_t index = BASE_INDEX, bad = UINT32_MAX;
	unsigned int i;
	struct msg m;
	struct ack a;

	add_tracked(_metadata, self, "mem", index);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char what[64];

		snprintf(what, sizeof(what), "DEV_SET attribute %u alone",
			 cases[i].type);
		msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
		put_u32(&m, ZCBLK_A_DEV_INDEX, index);
		if (cases[i].size == 8)
			put_u64(&m, cases[i].type, cases[i].value);
		else if (cases[i].size == 4)
			put_u32(&m, cases[i].type, cases[i].value);
		else
			put_u8(&m, cases[i].type, cases[i].value);
		expect_text(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
			    cases[i].msg, what);
	}
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, bad_count_cb, &bad));
	EXPECT_EQ(0, a.err);
	EXPECT_EQ(0, bad);
}

/* Command numbers the family does not serve: -EOPNOTSUPP. */
TEST_F(raw, unknown_command)
{
	static const struct {
		uint8_t cmd;
		uint16_t flags;
	} cases[] = {
		{ 0, 0 },
		{ __ZCBLK_CMD_MAX, 0 },
		{ 255, 0 },
		{ ZCBLK_CMD_DEV_ADDED, 0 },	/* notifications only */
		{ ZCBLK_CMD_DEV_CHANGED, 0 },
		{ ZCBLK_CMD_DEV_REMOVED, 0 },
		{ ZCBLK_CMD_FEATURES, NLM_F_DUMP },	/* no dumpit */
		{ ZCBLK_CMD_DEV_DEL, NLM_F_DUMP },
		{ ZCBLK_CMD_DEV_ADD, NLM_F_DUMP },
	};
	unsigned int i;
	struct msg m;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char what[48];

		snprintf(what, sizeof(what), "cmd %u%s", cases[i].cmd,
			 cases[i].flags ? " dump" : "");
		msg_init(&m, &self->r, cases[i].cmd, cases[i].flags);
		expect_answer(_metadata, &self->r, &m, -EOPNOTSUPP, NO_OFFS,
			      what);
	}
}

/* genlmsghdr.reserved and nlmsg_flags genetlink does not allow. */
TEST_F(raw, header_fields)
{
	uint32_t index = BASE_INDEX;
	struct msg m;

	add_tracked(_metadata, self, "null", index);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	msg_genl(&m)->reserved = 1;
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_GET, reserved 1");

	msg_init(&m, &self->r, ZCBLK_CMD_FEATURES, 0);
	msg_genl(&m)->reserved = 0x8000;
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "FEATURES, reserved 0x8000");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	msg_genl(&m)->reserved = 1;
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_DEL, reserved 1");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	/* NLM_F_ROOT without NLM_F_MATCH is not a dump, and not allowed. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, NLM_F_ROOT);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_GET with NLM_F_ROOT");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, NLM_F_CREATE);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
	track(_metadata, self, index + 1);
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_ADD with NLM_F_CREATE");
	expect_no_disk(_metadata, &self->r, index + 1, "NLM_F_CREATE");
}

/*
 * A dump part too small for a disk's message: a socket that read with
 * 4 KiB buffers gets parts of 4 KiB, and a file disk whose path is 3 800
 * bytes has a larger message. The dump ends with -EMSGSIZE, not with an
 * empty list as if there were no disk; a reader with 32 KiB buffers (as
 * libzcblk's) gets it listed.
 */
TEST_F(raw, dump_part_too_small)
{
	static const char top[] = "/tmp/zcblk-netlink-raw-long";
	char path[4000], name[252];
	uint32_t index = BASE_INDEX, got = UINT32_MAX;
	struct nlr small;
	struct msg m;
	struct ack a;
	int fd, i;

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	strcpy(path, top);
	ASSERT_TRUE(!mkdir(path, 0700) || errno == EEXIST);
	for (i = 0; i < 15; i++) {
		strcat(path, "/");
		strcat(path, name);
		ASSERT_TRUE(!mkdir(path, 0700) || errno == EEXIST);
	}
	strcat(path, "/img");
	fd = open(path, O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, MiB));
	close(fd);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "file");
	put_strz(&m, ZCBLK_A_DEV_PATH, path);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	put_u32(&m, ZCBLK_A_DEV_FLAGS, ZCBLK_DEV_F_BUFFERED);
	track(_metadata, self, index);
	ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, NULL, NULL));
	ASSERT_EQ(0, a.err) {
		TH_LOG("DEV_ADD of %zu-byte path: %s", strlen(path), a.msg);
	}

	ASSERT_EQ(0, nlr_open_buf(&small, DUMP_RECV_BUF));
	msg_init(&m, &small, ZCBLK_CMD_DEV_GET, NLM_F_DUMP);
	ASSERT_EQ(0, nlr_xfer_buf(&small, m.nlh, &a, NULL, NULL,
				  DUMP_RECV_BUF));
	EXPECT_TRUE(a.done);
	EXPECT_EQ(-EMSGSIZE, a.err);
	EXPECT_EQ(0, a.replies);
	nlr_close(&small);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, NLM_F_DUMP);
	ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, index_cb, &got));
	EXPECT_EQ(0, a.err);
	EXPECT_EQ(index, got);

	ASSERT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_DEL, index));
	unlink(path);
	for (i = 0; i < 16; i++) {
		*strrchr(path, '/') = '\0';
		rmdir(path);
	}
}

TEST_HARNESS_MAIN
