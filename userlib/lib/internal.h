/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzcblk internals, shared by ctx.c (socket, transactions, extended ACKs),
 * parse.c (a disk's attributes), dev.c (the zcblk commands), features.c
 * and monitor.c.  Nothing here is exported.  What is not static is named
 * zcblk__* (two underscores), apart from the public zcblk_* functions.
 */
#ifndef LIBZCBLK_INTERNAL_H
#define LIBZCBLK_INTERNAL_H

#include <stddef.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "zcblk.h"

/* Room for every attribute of a request, a backing path of PATH_MAX too. */
#define ZCBLK_REQ_BUF_SIZE	8192
/* The kernel never builds a dump skb larger than 32 KiB. */
#define ZCBLK_RCV_BUF_SIZE	32768
#define ZCBLK_ERRMSG_SIZE	256

struct zcblk_ctx {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	__u16 family_id;
	__u32 family_version;
	/* Id of the "monitor" multicast group; 0: not advertised. */
	__u32 monitor_grp;
	/*
	 * The last dump's answer carried NLM_F_DUMP_INTR on one of its
	 * messages, NLMSG_DONE included (where a dump of one part has it).
	 */
	bool dump_intr;
	/* The last request sent: extack offsets point into it. */
	char req[ZCBLK_REQ_BUF_SIZE] __attribute__((aligned(8)));
	char rcv[ZCBLK_RCV_BUF_SIZE] __attribute__((aligned(8)));
	char errmsg[ZCBLK_ERRMSG_SIZE];
};

/*
 * Names of a family's attributes, for error messages; names[type] may be
 * NULL for a type without a name.  Bit <type> of @octal: the attribute is
 * a file mode, whose valid range is shown in octal.
 */
struct zcblk_attr_names {
	const char *const *names;
	unsigned int count;
	__u64 octal;
};

extern const struct zcblk_attr_names zcblk__dev_attr_names;

/* Callback for each data message of a transaction; non-zero stops it. */
typedef int (*zcblk_msg_cb)(const struct nlmsghdr *nlh, void *data);

struct nlmsghdr *zcblk__req_start(struct zcblk_ctx *ctx, __u16 type,
				  __u16 flags, __u8 cmd, __u8 version);
int zcblk__transact(struct zcblk_ctx *ctx, const struct nlmsghdr *req,
		    const struct zcblk_attr_names *names, zcblk_msg_cb cb,
		    void *data);
struct nlmsghdr *zcblk__dev_req_start(struct zcblk_ctx *ctx, __u8 cmd,
				      __u16 flags);
int zcblk__check_out(struct zcblk_ctx *ctx, const void *out, __u32 min,
		     const char *name);
void zcblk__set_errmsg(struct zcblk_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* parse.c */
void zcblk__copy_str(char *buf, size_t len, const struct nlattr *attr);
int zcblk__parse_dev(const struct nlmsghdr *nlh, struct zcblk_dev_info *info);
void zcblk__copy_info_out(struct zcblk_dev_info *out,
			  const struct zcblk_dev_info *info);

/* dump.c */
/*
 * The messages of a dump, each parsed by @parse into one element of @v
 * (@elem_size bytes each), then sorted by @cmp.
 */
struct zcblk_dump_array {
	void *v;
	size_t n, cap, elem_size;
	int (*parse)(const struct nlmsghdr *nlh, void *elem);
	int (*cmp)(const void *a, const void *b);
	bool interrupted;
};
int zcblk__dump_visit(struct zcblk_ctx *ctx, __u8 cmd,
		      struct zcblk_dump_array *a,
		      int (*visit)(const void *elem, void *data), void *data);

#define ZCBLK_MIN(a, b)	((a) < (b) ? (a) : (b))
#define ZCBLK_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* LIBZCBLK_INTERNAL_H */
