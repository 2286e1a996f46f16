/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flexible Data Placement (TP4146, NVMe 2.0): one endurance group, its
 * reclaim unit handles and reclaim groups, the namespace's placement
 * handles, what writes do to them. Documentation/fdp.rst.
 */
#ifndef ZCBLK_FDP_H
#define ZCBLK_FDP_H

#include <linux/types.h>

#include "dev.h"

struct netlink_ext_ack;
struct request;
struct zcblk_dev;
struct zcblk_pdu;

/* I/O commands, not named in the kernels' nvme.h */
#define ZCBLK_CMD_IO_MGMT_RECV	0x12
#define ZCBLK_CMD_IO_MGMT_SEND	0x1d
/* Features and logs */
#define ZCBLK_FEAT_FDP		0x1d
#define ZCBLK_FEAT_FDP_EVENTS	0x1e
#define ZCBLK_LOG_ENDGRP	0x09
#define ZCBLK_LOG_FDP_CONFIGS	0x20
#define ZCBLK_LOG_FDP_RUH_USAGE	0x21
#define ZCBLK_LOG_FDP_STATS	0x22
#define ZCBLK_LOG_FDP_EVENTS	0x23
/* The one endurance group's identifier */
#define ZCBLK_ENDGID		1
/* Write, Write Zeroes, Copy: DTYPE in CDW12 23:20, DSPEC in CDW13 31:16 */
#define ZCBLK_DTYPE		GENMASK(23, 20)
#define ZCBLK_DTYPE_PLACEMENT	2

/* Does the disk have Flexible Data Placement? */
static inline bool zcblk_fdp(const struct zcblk_dev *dev)
{
	return dev->fdp;
}

int zcblk_fdp_init(struct zcblk_dev *dev, struct netlink_ext_ack *extack);
void zcblk_fdp_free(struct zcblk_dev *dev);
int zcblk_fdp_directive(struct zcblk_dev *dev, u32 cdw12, u32 cdw13);
void zcblk_fdp_write(struct zcblk_dev *dev, u32 cdw12, u32 cdw13, u64 nlb);
int zcblk_fdp_io_mgmt(struct zcblk_dev *dev, struct request *rq,
		      struct zcblk_pdu *cmd);
int zcblk_fdp_get_log(struct zcblk_dev *dev, struct request *rq, u8 lid,
		      u32 lsp, u64 off);
int zcblk_fdp_get_features(struct zcblk_dev *dev, struct request *rq,
			   struct zcblk_pdu *cmd, u8 sel);
int zcblk_fdp_set_features(struct zcblk_dev *dev, struct request *rq,
			   struct zcblk_pdu *cmd);

#endif /* ZCBLK_FDP_H */
